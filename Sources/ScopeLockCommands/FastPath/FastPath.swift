import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hot lock commands (acquire, release, renew, check, owner, status, guard, hook claude-code) read without ArgumentParser.
///
/// ArgumentParser builds its argument sets by reflection and parses every command line twice (once for completion
/// requests), which costs more than an acquire's own work. For an argument list it fully understands, the fast path
/// fills the very same command struct through its properties' setters and runs it: the command's `run()` is the one
/// implementation. Anything else (help, completions, an option it does not know, a command struct that gained or lost a
/// property since this file was written) goes to ArgumentParser. `FastPathTests` checks that both read a table of
/// argument lists into identical commands.
package enum FastPath {
    /// A command read by the fast path, ready to run.
    package struct Command {
        /// The command struct, as ArgumentParser would have filled it.
        package let parsed: any ParsableCommand
        /// Runs `parsed`.
        package let run: () async throws -> Void
    }

    /// The command `arguments` (without the program name) ask for, or nil when ArgumentParser must read them.
    package static func command(_ arguments: [String]) -> Command? {
        guard let name = arguments.first else { return nil }
        let rest = arguments.dropFirst()
        switch name {
        case "acquire":
            guard layoutIsKnown(AcquireCommand.self, 345),
                  let read = FastArguments(rest, syntax: .lockCommand(
                      options: ["task", "ttl", "wait", "pid"], flags: ["shared", "add"], repeatable: ["exclude"], positionals: 1...Int.max
                  )),
                  let global = global(read), let pid = optionalInt32(read.values["pid"]) else { return nil }
            var command = AcquireCommand()
            command.global = global
            command.agent = read.positionals[0]
            command.entries = Array(read.positionals.dropFirst())
            command.task = read.values["task"]
            command.ttl = read.values["ttl"]
            command.shared = read.flags.contains("shared")
            command.wait = read.values["wait"]
            command.excludes = read.lists["exclude"] ?? []
            command.add = read.flags.contains("add")
            command.pid = pid
            return Command(parsed: command) { try await command.run() }
        case "release":
            guard layoutIsKnown(ReleaseCommand.self, 225),
                  let read = FastArguments(rest, syntax: .lockCommand(options: ["token"], flags: ["force"], positionals: 1...Int.max)),
                  let global = global(read), let token = optionalInteger(read.values["token"]) else { return nil }
            var command = ReleaseCommand()
            command.global = global
            command.agent = read.positionals[0]
            command.entries = Array(read.positionals.dropFirst())
            command.token = token
            command.force = read.flags.contains("force")
            return Command(parsed: command) { try command.run() }
        case "renew":
            guard layoutIsKnown(RenewCommand.self, 201),
                  let read = FastArguments(rest, syntax: .lockCommand(options: ["ttl", "token"], positionals: 1...1)),
                  let global = global(read), let token = optionalInteger(read.values["token"]) else { return nil }
            var command = RenewCommand()
            command.global = global
            command.agent = read.positionals[0]
            command.ttl = read.values["ttl"]
            command.token = token
            return Command(parsed: command) { try command.run() }
        case "check":
            guard layoutIsKnown(CheckCommand.self, 225),
                  let read = FastArguments(rest, syntax: .lockCommand(flags: ["shared"], repeatable: ["exclude"], positionals: 1...Int.max)),
                  let global = global(read) else { return nil }
            var command = CheckCommand()
            command.global = global
            command.agent = read.positionals[0]
            command.entries = Array(read.positionals.dropFirst())
            command.shared = read.flags.contains("shared")
            command.excludes = read.lists["exclude"] ?? []
            return Command(parsed: command) { try command.run() }
        case "owner":
            guard layoutIsKnown(OwnerCommand.self, 153),
                  let read = FastArguments(rest, syntax: .lockCommand(positionals: 0...Int.max)),
                  let global = global(read) else { return nil }
            var command = OwnerCommand()
            command.global = global
            command.paths = read.positionals
            return Command(parsed: command) { try command.run() }
        case "status":
            guard layoutIsKnown(StatusCommand.self, 177),
                  let read = FastArguments(rest, syntax: .lockCommand(flags: ["watch"], positionals: 0...1)),
                  let global = global(read) else { return nil }
            var command = StatusCommand()
            command.global = global
            command.agent = read.positionals.first
            command.watch = read.flags.contains("watch")
            return Command(parsed: command) { try command.run() }
        case "guard":
            guard layoutIsKnown(GuardCommand.self, 225),
                  let read = FastArguments(rest, syntax: .lockCommand(options: ["since"], flags: ["staged"], positionals: 1...Int.max)),
                  let global = global(read) else { return nil }
            var command = GuardCommand()
            command.global = global
            command.agent = read.positionals[0]
            command.paths = Array(read.positionals.dropFirst())
            command.staged = read.flags.contains("staged")
            command.since = read.values["since"]
            return Command(parsed: command) { try await command.run() }
        case "hook":
            guard rest.first == "claude-code", layoutIsKnown(ClaudeCodeHookCommand.self, 89),
                  let read = FastArguments(rest.dropFirst(), syntax: FastSyntax(options: ["agent", "input-timeout"], flags: ["claim", "release-on-stop"], positionals: 0...0)),
                  let timeout = optionalDouble(read.values["input-timeout"]) else { return nil }
            var command = ClaudeCodeHookCommand()
            command.agent = read.values["agent"]
            command.claim = read.flags.contains("claim")
            command.releaseOnStop = read.flags.contains("release-on-stop")
            command.inputTimeout = timeout ?? 5
            return Command(parsed: command) { try await command.run() }
        default:
            return nil
        }
    }

    /// Runs a command read by the fast path and exits as `execute()` would: its exit code, or ArgumentParser's
    /// report of an error.
    package static func execute(_ command: Command) async -> Never {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        do {
            try await command.run()
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            ScopeLockCommand.exit(withError: error)
        }
    }

    /// True when `Command`'s stored properties still take `size` bytes, as when its fast reading was written. A
    /// property added or removed since changes the size, and the fast path then leaves the command to
    /// ArgumentParser instead of leaving the new property unset.
    static func layoutIsKnown<Command>(_: Command.Type, _ size: Int) -> Bool {
        MemoryLayout<Command>.size == size && MemoryLayout<GlobalOptions>.size == 112 && MemoryLayout<WorkspaceOptions>.size == 65
    }

    /// The sizes `layoutIsKnown` compares, as they are now: what to write into this file after teaching it a new
    /// property (FastPathTests prints it when the fast path declines an argument list it should read).
    package static var layouts: String {
        "acquire \(MemoryLayout<AcquireCommand>.size), release \(MemoryLayout<ReleaseCommand>.size), "
            + "renew \(MemoryLayout<RenewCommand>.size), check \(MemoryLayout<CheckCommand>.size), "
            + "owner \(MemoryLayout<OwnerCommand>.size), status \(MemoryLayout<StatusCommand>.size), "
            + "guard \(MemoryLayout<GuardCommand>.size), GlobalOptions \(MemoryLayout<GlobalOptions>.size), "
            + "WorkspaceOptions \(MemoryLayout<WorkspaceOptions>.size), hook claude-code \(MemoryLayout<ClaudeCodeHookCommand>.size)"
    }

    /// `GlobalOptions` from the options every lock command takes, or nil when ArgumentParser's validation would object.
    static func global(_ read: FastArguments) -> GlobalOptions? {
        var location = WorkspaceOptions()
        location.outputDir = read.values["output-dir"]
        location.root = read.values["root"]
        location.store = read.values["store"]
        guard (try? location.validate()) != nil else { return nil }
        var global = GlobalOptions()
        global.json = read.flags.contains("json")
        global.location = location
        return global
    }

    /// `.some(nil)` when absent, `.some(n)` for a 32-bit whole number ArgumentParser would read, nil otherwise.
    static func optionalInt32(_ text: String?) -> Int32?? {
        guard let text else { return .some(nil) }
        guard let value = Int32(text) else { return nil }
        return .some(value)
    }

    /// `.some(nil)` when absent, `.some(x)` for a number ArgumentParser would read, nil otherwise.
    static func optionalDouble(_ text: String?) -> Double?? {
        guard let text else { return .some(nil) }
        guard let value = Double(text) else { return nil }
        return .some(value)
    }

    /// `.some(nil)` when absent, `.some(n)` for a whole number ArgumentParser would read, nil otherwise.
    static func optionalInteger(_ text: String?) -> Int64?? {
        guard let text else { return .some(nil) }
        guard let value = Int64(text) else { return nil }
        return .some(value)
    }
}
