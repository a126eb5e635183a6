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
            guard !result.locks.isEmpty || !result.waiting.isEmpty else { return "no locks" }
            let waiting = result.waiting.map { waiter in
                "\(waiter.agent)  waiting  since \(waiter.since)  behind \(waiter.behind.joined(separator: ", "))  "
                    + waiter.entries.joined(separator: " ")
            }
            return (result.locks.map { lock in
                switch lock.state {
                case .invalid: "\(lock.agent)  invalid  \(lock.reason ?? "")  (\(lock.file))"
                case .active, .expired, .dead:
                    "\(lock.agent)  \(lock.state.rawValue)  \(lock.secondsLeft ?? 0)s left  "
                        + ((lock.lock?.directories ?? []) + (lock.lock?.files ?? [])).joined(separator: " ")
                }
            } + waiting).joined(separator: "\n")
        }
    }
}
