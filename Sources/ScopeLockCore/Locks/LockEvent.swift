import Foundation

/// One line of `locks/events.jsonl`.
public struct LockEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// `refuse`: an acquire refused for a conflict (nothing was written but this line), or a waiter that gave
        /// up, as it leaves the queue; `wait`: a waiter joined the queue.
        case acquire, renew, release, expire, force, prune, clear, refuse, wait
    }

    /// Why an acquire was refused: the first lock in the way.
    public struct Conflict: Codable, Sendable, Equatable {
        /// The agent holding the lock in the way.
        public let holder: String
        /// The holder's entry, then the requested entry.
        public let entries: [String]
        /// A path both entries cover.
        public let witness: String

        public init(holder: String, entries: [String], witness: String) {
            self.holder = holder
            self.entries = entries
            self.witness = witness
        }
    }

    public let time: String
    public let event: Kind
    public let agent: String?
    public let token: Int64?
    /// The lock's entries (directories, then files); for `refuse`, the entries asked for.
    public let scope: [String]?
    /// For `refuse` and `wait`: the lock (or earlier waiter) in the way.
    public let conflict: Conflict?

    public init(time: Date, event: Kind, agent: String?, token: Int64?, scope: [String]? = nil, conflict: Conflict? = nil) {
        self.time = Timestamp.format(time)
        self.event = event
        self.agent = agent
        self.token = token
        self.scope = scope
        self.conflict = conflict
    }
}

extension LockRecord {
    /// The record's entries as events carry them: directories, then files.
    public var scope: [String] { (directories ?? []) + files }
}
