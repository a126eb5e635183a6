@preconcurrency import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol
import Subprocess
import Synchronization

/// `scopelock run`: hold a lock for as long as a command runs. The lock lives with this process (its
/// holder), on a short lease renewed every third of it; the command runs without a shell in a process
/// group of its own, through a launcher that gives it a parent-death signal, so that it never outlives
/// the lock's holder. Signals to this process are passed on; the lock is released however the command ends.
public struct CommandSession: Sendable {
    /// The default lease of a `run` lock, in seconds: short, since the holder renews it.
    public static let defaultLeaseSeconds = 60

    /// How a session ended.
    public enum End: Sendable {
        /// The acquire was refused, timed out or invalid: nothing ran.
        case refused(Outcome<AcquireResult>)
        /// The command ended with this status (128+N for signal N).
        case exited(Int32, warnings: [ResultWarning])
        /// The lease was lost while the command ran; it was sent SIGTERM and ended with the given status.
        case lost(ErrorInfo, status: Int32)
        /// The command could not be started (the launcher itself failed).
        case failed(ErrorInfo)
    }

    public let workspace: Workspace
    /// The acquire to make (its `pid` is replaced by this process's).
    public let request: AcquireRequest
    /// The command and its arguments.
    public let command: [String]
    /// The launcher: an executable that, given `run-exec PARENT -- COMMAND...`, sets the parent-death
    /// signal and execs COMMAND (the `scopelock` executable itself).
    public let launcher: String

    public init(workspace: Workspace, request: AcquireRequest, command: [String], launcher: String) {
        self.workspace = workspace
        self.request = request
        self.command = command
        self.launcher = launcher
    }

    /// Acquires, runs the command, renews, releases.
    public func run(progress: (@Sendable (WaitProgress) -> Void)? = nil) async -> End {
        var acquire = request
        acquire.pid = getpid()
        let lease: Int
        do throws(ErrorInfo) {
            lease = try Workspace.seconds(request.ttl, name: "ttl") ?? Self.defaultLeaseSeconds
        } catch {
            return .refused(Outcome(error: error))
        }
        acquire.ttl = String(lease)
        let granted = await workspace.acquire(acquire, progress: progress)
        guard let lock = granted.value?.lock, let token = lock.token else { return .refused(granted) }

        let child = ChildProcess()
        let forwarding = SignalForwarding(to: child)
        defer { forwarding.stop() }
        let lost = Mutex<ErrorInfo?>(nil)
        let renewal = Task { [workspace] in
            let interval = Duration.milliseconds(max(100, lease * 1000 / 3))
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if Task.isCancelled { return }
                let renewed = workspace.renew(RenewRequest(agent: request.agent, ttl: String(lease), token: token))
                if let error = renewed.error, error.code == .lost || error.code == .notFound {
                    lost.withLock { $0 = error }
                    child.send(SIGTERM)
                    return
                }
            }
        }
        var environment: [Environment.Key: String?] = [
            "SCOPELOCK_AGENT": request.agent,
            "SCOPELOCK_TOKEN": String(token),
            "SCOPELOCK_ROOT": Self.absolute(workspace.normalizer.root),
            "SCOPELOCK_OUTPUT_DIR": Self.absolute(outputDirectory),
        ]
        if !(workspace.store is FileLockStore) { environment["SCOPELOCK_STORE"] = workspace.store.location }
        var options = PlatformOptions()
        options.processGroupID = 0
        let status: Int32
        do {
            let result = try await Subprocess.run(
                .path(.init(launcher)),
                arguments: Arguments(["run-exec", String(getpid()), "--"] + command),
                environment: .inherit.updating(environment),
                platformOptions: options,
                input: .currentStandardInput,
                output: .currentStandardOutput,
                error: .currentStandardError
            ) { execution in
                child.started(execution.processIdentifier.value)
            }
            switch result.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
        } catch {
            renewal.cancel()
            child.finished()
            _ = workspace.release(ReleaseRequest(agent: request.agent, token: token))
            return .failed(ErrorInfo(.ioError, "could not start \(command.first ?? "the command"): \(error)"))
        }
        child.finished()
        renewal.cancel()
        if let error = lost.withLock({ $0 }) { return .lost(error, status: status) }
        let released = workspace.release(ReleaseRequest(agent: request.agent, token: token))
        return .exited(status, warnings: granted.warnings + released.warnings + (released.error.map { [ResultWarning(code: $0.code.rawValue, message: $0.message)] } ?? []))
    }
}

extension CommandSession {
    /// The output directory the command is told about: the file store's, else the one given.
    private var outputDirectory: String {
        (workspace.store as? FileLockStore)?.outputDirectory ?? workspace.explicitOutputDirectory ?? FileManager.default.currentDirectoryPath
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")).standardizedFileURL.path
    }
}

/// The command's process (and process group, which has its pid), once started; signals sent before it
/// started are delivered when it does.
final class ChildProcess: Sendable {
    private struct State {
        var pid: pid_t?
        var pending: [Int32] = []
        var ended = false
        /// The terminal's foreground group before the command was given the terminal.
        var terminalGroup: pid_t?
    }

    private let state = Mutex(State())

    func started(_ pid: pid_t) {
        let pending = state.withLock { state -> [Int32] in
            state.pid = pid
            state.terminalGroup = Self.handTerminal(to: pid)
            defer { state.pending = [] }
            return state.pending
        }
        for signal in pending { kill(-pid, signal) }
    }

    /// Sends `signal` to the command's process group.
    func send(_ number: Int32) {
        state.withLock { state in
            guard !state.ended else { return }
            if let pid = state.pid { kill(-pid, number) } else { state.pending.append(number) }
        }
    }

    func finished() {
        state.withLock { state in
            state.ended = true
            if let group = state.terminalGroup { Self.takeTerminal(back: group) }
        }
    }

    /// When this process is in the foreground of a terminal, the command's group becomes the foreground
    /// (so that it can read the terminal, and Ctrl-C reaches it directly). Returns the group to give it back to.
    private static func handTerminal(to group: pid_t) -> pid_t? {
        guard isatty(STDIN_FILENO) == 1, tcgetpgrp(STDIN_FILENO) == getpgrp() else { return nil }
        let previous = signal(SIGTTOU, SIG_IGN)
        defer { signal(SIGTTOU, previous) }
        guard tcsetpgrp(STDIN_FILENO, group) == 0 else { return nil }
        kill(-group, SIGCONT)  // in case it read the terminal before it was handed over
        return getpgrp()
    }

    private static func takeTerminal(back group: pid_t) {
        let previous = signal(SIGTTOU, SIG_IGN)
        _ = tcsetpgrp(STDIN_FILENO, group)
        signal(SIGTTOU, previous)
    }
}

/// Passes SIGINT, SIGTERM and SIGHUP sent to this process on to the command's process group.
final class SignalForwarding {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let sources: [any DispatchSourceSignal]

    init(to child: ChildProcess) {
        var sources: [any DispatchSourceSignal] = []
        for number in Self.forwarded {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { child.send(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in Self.forwarded { signal(number, SIG_DFL) }
    }
}
