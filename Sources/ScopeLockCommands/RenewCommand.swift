import ArgumentParser
import ScopeLockCore

struct RenewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Push an active lock's expiry forward, keeping its token.",
        discussion: """
        Without --ttl the lock gets the TTL it was granted or last renewed with (its ttl_seconds) again, \
        counted from now. An expired lock cannot be renewed (exit 1, lost): acquire it again.

        Example:
          scopelock renew integration-developer --ttl 30m --token 7
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent whose lock to renew.") var agent: String
    @Option(help: "New time to live from now: 90s, 15m, 1h, 1h30m or seconds.") var ttl: String?
    @Option(help: "The fencing token the agent was granted.") var token: Int64?

    func run() throws {
        let outcome = global.workspace().renew(RenewRequest(agent: agent, ttl: ttl, token: token))
        try Output.finish(outcome, json: global.json) { result in
            "renewed \(agent): expires \(Timestamp.format(result.lock.expiresAt))"
        }
    }
}
