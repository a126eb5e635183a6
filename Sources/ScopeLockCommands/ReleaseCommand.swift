import ArgumentParser
import ScopeLockCore

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Remove an agent's lock when it has finished, or give back some of its entries.",
        discussion: """
        With --token, the lock is removed only if it still carries that fencing token (exit 1, lost, if another \
        grant replaced it). --force removes the record whatever its token or state, an unreadable one included.

        Example:
          scopelock release integration-developer --token 7
          scopelock release integration-developer docs/qualys.md     # give back one entry, keep the rest
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent whose lock to remove.") var agent: String
    @Argument(help: "Give back only these entries, exactly as held (the lock goes when none is left).") var entries: [String] = []
    @Option(help: "The fencing token the agent was granted.") var token: Int64?
    @Flag(help: "Remove the record whatever its token or state.") var force = false

    func run() throws {
        let outcome = global.workspace().release(ReleaseRequest(
            agent: agent, token: token, force: force ? true : nil, entries: entries.isEmpty ? nil : entries
        ))
        try Output.finish(outcome, json: global.json) { result in
            guard let lock = result.lock else { return "released \(agent)" }
            return "released \(entries.joined(separator: " ")); \(agent) still holds \((lock.files + (lock.directories ?? [])).joined(separator: " "))"
        }
    }
}
