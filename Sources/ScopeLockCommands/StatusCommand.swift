import ArgumentParser
import ScopeLockCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List lock records: active, expired or invalid, with seconds left.",
        discussion: """
        Example:
          scopelock status
          scopelock status backend-tester --json
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Show only this agent's record.") var agent: String?

    func run() throws {
        let outcome = global.workspace().status(StatusRequest(agent: agent))
        try Output.finish(outcome, json: global.json) { result in
            guard !result.locks.isEmpty else { return "no locks" }
            return result.locks.map { lock in
                switch lock.state {
                case .invalid: "\(lock.agent)  invalid  \(ControlCharacters.escaped(lock.reason ?? ""))  (\(ControlCharacters.escaped(lock.file)))"
                case .active, .expired:
                    "\(lock.agent)  \(lock.state.rawValue)  \(lock.secondsLeft ?? 0)s left  "
                        + ((lock.lock?.directories ?? []) + (lock.lock?.files ?? [])).map { ControlCharacters.escaped($0) }.joined(separator: " ")
                }
            }.joined(separator: "\n")
        }
    }
}
