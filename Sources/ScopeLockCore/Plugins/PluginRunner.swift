#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScopeLockProtocol
import Subprocess

/// Runs one plugin exchange (interface.md section 7): spawns `argv + [verb]` in its own process group with
/// `SCOPELOCK_PROTOCOL` set, writes `input` to its stdin and closes it, and collects its stdout, trusting
/// nothing: a late, oversized or failing plugin is a `plugin_error`, and its whole group is killed.
public struct PluginRunner: Sendable {
    /// How long a plugin may take, from spawn to exit.
    public let timeout: Duration
    /// The most bytes a plugin may print on stdout.
    public let outputLimit: Int
    /// How long stdout may stay open once the plugin itself has exited.
    static let exitGrace: Duration = .milliseconds(250)
    /// How much of the end of stderr is kept for messages.
    static let errorTailLength = 4096

    /// A runner with the protocol's defaults: 10 s and 1 MiB.
    public init(timeout: Duration = .seconds(10), outputLimit: Int = 1 << 20) {
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// Runs the plugin and returns what it printed on stdout; any misbehaviour is a `plugin_error` naming it.
    public func run(
        _ argv: [String], verb: String, input: Data, workingDirectory: String?, protocol version: String = StrategyProtocol.version1
    ) async throws(ErrorInfo) -> Data {
        guard let program = argv.first, !program.isEmpty else {
            throw ErrorInfo(.pluginError, "the plugin command is empty")
        }
        let name = PluginRunner.displayName(of: program)
        _ = PluginRunner.brokenPipesIgnored

        var options = PlatformOptions()
        options.processGroupID = 0
        // Used by swift-subprocess when this task is cancelled: kill the whole group at once.
        options.teardownSequence = [.send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .milliseconds(100))]

        let exchange: Exchange
        let status: TerminationStatus
        do {
            let result = try await Subprocess.run(
                program.contains("/") ? .path(.init(program)) : .name(program),
                arguments: .init(Array(argv.dropFirst()) + [verb]),
                environment: .inherit.updating([.init(stringLiteral: StrategyProtocol.environmentVariable): version]),
                workingDirectory: workingDirectory.map { .init($0) },
                platformOptions: options,
                input: .inputWriter,
                output: .sequence,
                error: .sequence
            ) { execution in
                await converse(with: execution, input: input)
            }
            exchange = result.closureResult
            status = result.terminationStatus
        } catch {
            if Task.isCancelled { throw ErrorInfo(.pluginError, "plugin \(name) was cancelled", file: program) }
            let starting: Set<SubprocessError.Code> = [.spawnFailed, .executableNotFound, .failedToChangeWorkingDirectory]
            let phase = (error as? SubprocessError).map { starting.contains($0.code) } ?? false ? "started" : "run"
            throw ErrorInfo(.pluginError, "plugin \(name) could not be \(phase): \(error)", file: program)
        }
        if let message = exchange.failureMessage(status: status, timeout: timeout, outputLimit: outputLimit) {
            throw ErrorInfo(.pluginError, "plugin \(name) \(message)", file: program)
        }
        return exchange.output
    }

    // MARK: - The exchange

    /// What the body of a run saw.
    private struct Exchange: Sendable {
        enum Failure: Sendable { case notIsolated, timedOut, tooMuchOutput, heldOutputOpen, cancelled }

        var failure: Failure?
        var output = Data()
        var outputProblem: String?
        var inputProblem: String?
        var errorTail = Data()
        var errorTruncated = false
        /// Processes still running in the plugin's group after it exited.
        var strays: [pid_t] = []

        /// What the plugin did wrong, after "plugin NAME ", or nil when it behaved.
        func failureMessage(status: TerminationStatus, timeout: Duration, outputLimit: Int) -> String? {
            switch failure {
            case .notIsolated: return "could not be started in its own process group; killed it"
            case .timedOut: return "timed out after \(PluginRunner.describe(timeout)); killed its process group" + stderrSuffix
            case .tooMuchOutput: return "printed more than \(PluginRunner.describe(bytes: outputLimit)) on stdout; killed its process group"
            case .heldOutputOpen:
                return "exited but its stdout or stderr stayed open (a process it started still holds it); killed its process group" + stderrSuffix
            case .cancelled: return "was cancelled; killed its process group"
            case nil: break
            }
            let input = inputProblem.map { " (it also did not take all of its input: \($0))" } ?? ""
            switch status {
            case .exited(0): break
            case .exited(let code): return "exited with status \(code)\(input): \(stderrText)"
            case .signaled(let signal): return "was killed by signal \(signal)\(input): \(stderrText)"
            }
            if !strays.isEmpty {
                let pids = strays.map(String.init).joined(separator: ", ")
                return "exited but left \(strays.count == 1 ? "a process" : "\(strays.count) processes") running in its process group (\(pids)); killed the group"
            }
            if let outputProblem { return "could not be read: \(outputProblem)" }
            return nil
        }

        /// The kept end of stderr, or a note that there was none.
        var stderrText: String {
            let text = String(decoding: errorTail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { return "(nothing on stderr)" }
            return errorTruncated ? "…" + text : text
        }

        private var stderrSuffix: String {
            errorTail.isEmpty ? "" : "; its stderr ended with: \(stderrText)"
        }
    }

    /// One thing that happened while the plugin ran.
    private enum Event: Sendable {
        case inputWritten(problem: String?)
        case output(Data, overflowed: Bool, problem: String?)
        case errorOutput(Data, truncated: Bool)
        case exited
        case deadline
        case graceOver
        case stopped
    }

    /// Feeds stdin, drains stdout and stderr, and watches the child and the clock, all at once; returns once the
    /// plugin has exited with both streams closed, or has been killed. Its process group is killed in every case.
    private func converse(
        with execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>, input: Data
    ) async -> Exchange {
        let pid = execution.processIdentifier.value
        var exchange = Exchange()
        guard getpgid(pid) == pid else {
            kill(pid, SIGKILL)
            exchange.failure = .notIsolated
            return exchange
        }
        let outputLimit = outputLimit
        let timeout = timeout
        let watchdog = Watchdog(group: pid, timeout: timeout)
        await withTaskGroup(of: Event.self) { group in
            group.addTask { await PluginRunner.write(input, to: execution.standardInputWriter) }
            group.addTask { await PluginRunner.collect(execution.standardOutput, limit: outputLimit) }
            group.addTask { await PluginRunner.readTail(execution.standardError) }
            group.addTask { await PluginRunner.waitForExit(of: pid) }
            group.addTask { await PluginRunner.alarm(after: timeout, .deadline) }

            var outputOpen = true
            var errorOpen = true
            var exited = false
            loop: while let event = await group.next() {
                switch event {
                case .inputWritten(let problem):
                    exchange.inputProblem = problem
                case .output(let data, let overflowed, let problem):
                    outputOpen = false
                    exchange.output = data
                    exchange.outputProblem = problem
                    if overflowed {
                        exchange.failure = .tooMuchOutput
                        break loop
                    }
                case .errorOutput(let tail, let truncated):
                    errorOpen = false
                    exchange.errorTail = tail
                    exchange.errorTruncated = truncated
                case .exited:
                    exited = true
                    group.addTask { await PluginRunner.alarm(after: PluginRunner.exitGrace, .graceOver) }
                case .deadline:
                    exchange.failure = .timedOut
                    break loop
                case .graceOver:
                    exchange.failure = .heldOutputOpen
                    break loop
                case .stopped:
                    if Task.isCancelled {
                        exchange.failure = .cancelled
                        break loop
                    }
                }
                if exited, !outputOpen, !errorOpen { break loop }
            }

            if exchange.failure == nil {
                exchange.strays = await PluginRunner.strays(inGroup: pid)
            }
            // The child is not reaped before this closure returns, so its pid still names its group here.
            kill(-pid, SIGKILL)
            if watchdog.disarm(), exchange.failure == nil { exchange.failure = .timedOut }
            group.cancelAll()
            while let event = await group.next() {
                switch event {
                case .inputWritten(let problem): exchange.inputProblem = exchange.inputProblem ?? problem
                case .errorOutput(let tail, let truncated) where errorOpen:
                    exchange.errorTail = tail
                    exchange.errorTruncated = truncated
                default: break
                }
            }
        }
        return exchange
    }

    /// Kills a plugin's process group at the deadline from a thread of its own, so the deadline holds even while
    /// Swift's task pool is busy; disarmed before the plugin is reaped, so it never signals a reused group id.
    private final class Watchdog: @unchecked Sendable {
        private let group: pid_t
        /// Guards `armed` and `fired`, and wakes the thread when disarmed.
        private let condition = NSCondition()
        private var armed = true
        private var fired = false

        init(group: pid_t, timeout: Duration) {
            self.group = group
            let (seconds, attoseconds) = timeout.components
            let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
            Thread { [self] in watch(until: deadline) }.start()
        }

        private func watch(until deadline: Date) {
            condition.lock()
            defer { condition.unlock() }
            while armed, condition.wait(until: deadline) {}
            // A plugin that exited in time is not late, even if the exchange has not been wound up yet.
            guard armed, !PluginRunner.hasExited(group) else { return }
            fired = true
            kill(-group, SIGKILL)
        }

        /// Stops the watch for good; true when it had already killed the group.
        func disarm() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            armed = false
            condition.signal()
            return fired
        }
    }

    // MARK: - The tasks of an exchange

    /// Writes all of `input`, then closes stdin; a plugin that stops reading is noted, not fatal.
    private static func write(_ input: Data, to writer: StandardInputWriter) async -> Event {
        var problem: String?
        do {
            let written = try await writer.write(Array(input))
            if written < input.count { problem = "it stopped reading after \(written) of \(input.count) bytes" }
        } catch {
            problem = "\(error)"
        }
        do {
            try await writer.finish()
        } catch {
            problem = problem ?? "\(error)"
        }
        return .inputWritten(problem: problem)
    }

    /// Reads stdout to its end, stopping as soon as it exceeds `limit`.
    private static func collect(_ output: SubprocessOutputSequence, limit: Int) async -> Event {
        var data = Data()
        do {
            for try await buffer in output {
                buffer.withUnsafeBytes { data.append(contentsOf: $0) }
                if data.count > limit { return .output(Data(data.prefix(limit)), overflowed: true, problem: nil) }
            }
        } catch {
            return .output(data, overflowed: false, problem: "\(error)")
        }
        return .output(data, overflowed: false, problem: nil)
    }

    /// Reads stderr to its end, keeping only its last `errorTailLength` bytes.
    private static func readTail(_ errors: SubprocessOutputSequence) async -> Event {
        var tail = Data()
        var truncated = false
        do {
            for try await buffer in errors {
                buffer.withUnsafeBytes { tail.append(contentsOf: $0) }
                if tail.count > 2 * errorTailLength {
                    tail = Data(tail.suffix(errorTailLength))
                    truncated = true
                }
            }
        } catch {
            // What was read is kept; the message only needs the tail.
        }
        if tail.count > errorTailLength {
            tail = Data(tail.suffix(errorTailLength))
            truncated = true
        }
        return .errorOutput(tail, truncated: truncated)
    }

    /// Returns once the child has exited, without reaping it (swift-subprocess does that).
    private static func waitForExit(of pid: pid_t) async -> Event {
        while !Task.isCancelled {
            if hasExited(pid) { return .exited }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return .stopped
    }

    /// True once child `pid` has exited; leaves it to be reaped.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while true {
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 { return info.si_signo != 0 }
            if errno != EINTR { return true }
        }
    }

    /// Returns `event` after `duration`, or `.stopped` when cancelled first.
    private static func alarm(after duration: Duration, _ event: Event) async -> Event {
        do {
            try await Task.sleep(for: duration)
            return event
        } catch {
            return .stopped
        }
    }

    /// Live processes other than the leader in process group `group`, allowing a moment for ones already exiting.
    private static func strays(inGroup group: pid_t) async -> [pid_t] {
        var found = livingMembers(ofGroup: group, except: group)
        var attempts = 0
        while !found.isEmpty, attempts < 5 {
            try? await Task.sleep(for: .milliseconds(20))
            found = livingMembers(ofGroup: group, except: group)
            attempts += 1
        }
        return found
    }

    /// Processes in `group` that are neither `leader` nor dead (zombies count as dead), read from `/proc`.
    static func livingMembers(ofGroup group: pid_t, except leader: pid_t) -> [pid_t] {
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != leader, let stat = readProcStat(pid), let close = stat.lastIndex(of: ")") else {
                return nil
            }
            // After the command name: state, ppid, pgrp, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", fields[0] != "X", pid_t(fields[2]) == group else { return nil }
            return pid
        }.sorted()
        #else
        return []
        #endif
    }

    #if os(Linux)
    /// The text of `/proc/PID/stat`, or nil when the process is gone.
    static func readProcStat(_ pid: pid_t) -> String? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
    #endif

    // MARK: - Wording

    /// Ignoring SIGPIPE once: a plugin that exits without reading its input must not kill the host.
    private static let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// The file name of a plugin's executable, as messages name it.
    static func displayName(of program: String) -> String {
        program.split(separator: "/").last.map(String.init) ?? program
    }

    /// `10s`, `1.5s` or `250ms`.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        if milliseconds >= 1000 { return "\(Double(milliseconds) / 1000)s" }
        return "\(milliseconds)ms"
    }

    /// `1 MiB`, `64 KiB` or `1000 bytes`.
    static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
