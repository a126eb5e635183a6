import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockCore
import ScopeLockProtocol

/// `events --follow`: the log's matching events, then each new one as it is written, woken by the change
/// feed (never by polling). With `--json`, one event object per line. Ctrl-C, SIGTERM or SIGHUP end it (exit 0).
struct EventsFollow {
    let workspace: Workspace
    let request: EventsRequest
    let json: Bool

    func run() throws(ErrorInfo) {
        let (log, filter) = try workspace.eventSource(request)
        let feed = try ChangeFeed(directory: (log.path as NSString).deletingLastPathComponent)
        let signals = StopSignals(interrupting: feed)
        defer { signals.cancel() }
        let style = TerminalStyle.forStandardOutput()
        var offset: UInt64 = 0
        while !signals.isStopped {
            let chunk = try log.read(from: offset)
            offset = chunk.offset
            for event in chunk.events where filter.keeps(event) {
                StandardOutput.line(json ? Output.jsonLine(event) : EventLine.render(event, style: style))
            }
            _ = feed.wait(until: nil)
        }
    }
}
