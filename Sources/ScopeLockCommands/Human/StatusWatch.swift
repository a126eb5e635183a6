import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockCore
import ScopeLockProtocol

/// `status --watch`: the status table redrawn whenever the locks change (woken by the change feed, not by
/// polling), and once a minute or once a second while a lock has under a minute left, so that time left
/// stays true. `q` or Ctrl-C ends it and restores the terminal. With `--json`, one status object per change.
struct StatusWatch {
    let workspace: Workspace
    let request: StatusRequest
    let json: Bool

    func run() throws(ErrorInfo) {
        guard let feed = workspace.store.changeFeed() else {
            throw ErrorInfo(.ioError, "cannot watch \(workspace.store.location) for changes; run status without --watch")
        }
        let terminal = TerminalSession()
        let fullScreen = !json && terminal.enter()
        let signals = StopSignals(interrupting: feed)
        defer {
            terminal.restore()
            signals.cancel()
        }
        if fullScreen { Self.readKeys(then: signals.stop) }
        while !signals.isStopped {
            let outcome = workspace.status(request)
            let deadline: ContinuousClock.Instant?
            if json {
                StandardOutput.line(Output.jsonLine(outcome))
                deadline = nil
            } else {
                let frame = self.frame(outcome, fullScreen: fullScreen)
                if fullScreen { terminal.draw(frame) } else { StandardOutput.line(frame.joined(separator: "\n") + "\n") }
                deadline = .now + .seconds(Self.secondsUntilLabelsChange(outcome.value))
            }
            _ = feed.wait(until: deadline)
        }
    }

    /// One screen: a title line, the table (or the error), and a note when the locks folder is missing.
    func frame(_ outcome: Outcome<StatusResult>, fullScreen: Bool) -> [String] {
        let style = fullScreen ? TerminalStyle.forStandardOutput() : .plain
        let columns = fullScreen ? TerminalSession.size().columns : 120
        var lines = [style.paint("scopelock status --watch", .bold) + "  " + style.paint("updated \(Self.clock(workspace.now()))" + (fullScreen ? " · q to quit" : ""), .dim), ""]
        if let files = workspace.store as? FileLockStore, !FileManager.default.fileExists(atPath: files.locksPath) {
            lines.append(style.paint("the locks folder \(ControlCharacters.escaped(files.locksPath)) does not exist (removed, or no lock taken yet); watching for it", .yellow))
            lines.append("")
        }
        if let value = outcome.value {
            var table = StatusTable(header: .init(workspace), style: style)
            table.scopeWidth = max(24, columns - 80)
            lines += table.render(value).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        if let error = outcome.error { lines.append(style.paint(ControlCharacters.escaped(Output.describe(error)), .red)) }
        return lines
    }

    /// Seconds until some time-left label changes: labels count whole minutes down, and seconds in the last minute.
    static func secondsUntilLabelsChange(_ result: StatusResult?) -> Int {
        let lefts = (result?.locks ?? []).filter { $0.state == .active }.compactMap(\.secondsLeft).filter { $0 > 0 }
        return lefts.map { $0 <= 60 ? 1 : $0 % 60 + 1 }.min() ?? 60
    }

    private static func clock(_ date: Date) -> String {
        String(Timestamp.format(date).split(separator: "T").last?.prefix(8) ?? "")
    }

    /// Reads keys on a thread of its own; `q`, `Q` or Ctrl-C ends the watch.
    private static func readKeys(then stop: @escaping @Sendable () -> Void) {
        Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(STDIN_FILENO, &byte, 1)
                if count < 0, errno == EINTR { continue }
                if count <= 0 || byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 {
                    if count > 0 { stop() }
                    return
                }
            }
        }.start()
    }
}
