import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Hold a lock for as long as a command runs, then release it.",
        discussion: """
        Acquires AGENT's lock (waiting in line with --wait), runs COMMAND without a shell with SCOPELOCK_AGENT, \
        SCOPELOCK_TOKEN, SCOPELOCK_ROOT and SCOPELOCK_OUTPUT_DIR set, renews the lock's short lease (--ttl, \
        default 60s) every third of it, passes SIGINT, SIGTERM and SIGHUP on, and releases the lock when \
        COMMAND ends, however it ends. The lock lives with this process: if it dies, the lock is dead at once \
        and COMMAND gets SIGTERM. Exits with COMMAND's status (128+N for signal N), 127 when COMMAND is not \
        found; 1 or 4 when the lock is refused or the wait times out (nothing runs); 3 when the lease is lost \
        (COMMAND gets SIGTERM).

        Example:
          scopelock run integration-developer backend/pkg/integrations/qualys/ --wait 10m -- make test
          scopelock run integration-developer qualys/ --exclude 'qualys/*_test.go' -- make build
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent taking the lock (also the lock file's name).") var agent: String
    @Argument(help: ArgumentHelp("Files, directories (ending in /) and globs, then -- and the command to run (no shell).", valueName: "entry-or-command"))
    var words: [String] = []
    @Option(help: "What the agent is doing, recorded as task_description.") var task: String?
    @Option(help: "The lease, renewed every third of it: 90s, 15m, 1h or seconds (default 60s).") var ttl: String?
    @Flag(help: "Take a shared lock: other shared locks on the same scope are allowed.") var shared = false
    @Option(help: "On conflict, wait in line (first come, first served) for this long before exiting 4.") var wait: String?
    @Option(name: .customLong("exclude"), help: "An entry the scope does not cover (repeatable), e.g. 'qualys/*_test.go'.")
    var excludes: [String] = []
    /// The words after the first `--` on the command line: the command. (ArgumentParser puts them after the
    /// entries, as positionals; it cannot give two positional arrays.)
    private var command: [String] {
        let raw = CommandLine.arguments
        guard let terminator = raw.firstIndex(of: "--") else { return [] }
        return Array(raw[(terminator + 1)...])
    }

    private var entries: [String] { Array(words.dropLast(command.count)) }

    func validate() throws {
        guard CommandLine.arguments.contains("--"), !command.isEmpty else {
            throw ValidationError("give the command to run after --, e.g. scopelock run \(agent) src/ -- make test")
        }
    }

    func run() async throws {
        let request = AcquireRequest(
            agent: agent, entries: entries, task: task, ttl: ttl, shared: shared ? true : nil, wait: wait,
            excludes: excludes.isEmpty ? nil : excludes
        )
        let launcher = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let session = CommandSession(workspace: global.workspace(), request: request, command: command, launcher: launcher)
        switch await session.run(progress: WaitProgressPrinter.print) {
        case .refused(let outcome):
            try Output.finish(outcome, json: global.json) { _ in "" }
        case .exited(let status, let warnings):
            for warning in warnings { Output.printError("warning: \(warning.message)") }
            throw ExitCode(status)
        case .lost(let error, _):
            if global.json { print(Output.jsonLine(Outcome<Empty>(error: error))) }
            Output.printError("lost: \(error.message)")
            throw ExitCode(ErrorCode.ioError.exitCode)
        case .failed(let error):
            try Output.finish(Outcome<Empty>(error: error), json: global.json) { _ in "" }
        }
    }
}

/// The launcher `run` starts COMMAND through: asks for SIGTERM when `run` dies (the parent-death signal),
/// restores the signal dispositions `run` changed, and execs COMMAND as a shell would (127: not found,
/// 126: not executable). Not for direct use.
struct RunExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run-exec", shouldDisplay: false)

    @Argument var parent: Int32
    @Argument(parsing: .postTerminator) var command: [String] = []

    func run() throws {
        guard !command.isEmpty else { throw ExitCode(2) }
        ParentDeath.requestSignal(SIGTERM)
        // run died before the signal was asked for: do not start a command that nothing would stop.
        guard getppid() == parent else { throw ExitCode(128 + SIGTERM) }
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ, SIGTTOU] { signal(number, SIG_DFL) }
        var all = sigset_t()
        sigemptyset(&all)
        sigprocmask(SIG_SETMASK, &all, nil)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        argv.append(nil)
        execvp(command[0], &argv)
        let code = errno
        let status: Int32 = code == ENOENT ? 127 : 126
        let reason = code == ENOENT ? "command not found" : String(cString: strerror(code))
        FileHandle.standardError.write(Data("scopelock run: \(command[0]): \(reason)\n".utf8))
        throw ExitCode(status)
    }
}
