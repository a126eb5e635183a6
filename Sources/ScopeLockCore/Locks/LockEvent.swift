import Foundation

/// One line of `locks/events.jsonl`.
public struct LockEvent: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case acquire, renew, release, expire, force, prune, clear, wait
    }

    public let time: String
    public let event: Kind
    public let agent: String?
    public let token: Int64?

    public init(time: Date, event: Kind, agent: String?, token: Int64?) {
        self.time = Timestamp.format(time)
        self.event = event
        self.agent = agent
        self.token = token
    }
}
