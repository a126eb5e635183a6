/// One overlap between a held lock and a requested scope.
public struct ConflictInfo: Codable, Sendable, Hashable {
    /// The agent holding the lock.
    public let agent: String
    /// The holder's entry.
    public let held: String
    /// Our entry.
    public let requested: String
    /// A concrete path both entries cover.
    public let witness: String
    /// When the holder's lock expires (UTC, RFC 3339); absent for a waiter.
    public let expiresAt: String?
    /// True when `agent` holds no lock but waits for an overlapping scope, and came first.
    public let waiting: Bool?

    public init(agent: String, held: String, requested: String, witness: String, expiresAt: String?, waiting: Bool? = nil) {
        self.agent = agent
        self.held = held
        self.requested = requested
        self.witness = witness
        self.expiresAt = expiresAt
        self.waiting = waiting
    }

    enum CodingKeys: String, CodingKey {
        case agent, held, requested, witness, waiting
        case expiresAt = "expires_at"
    }
}
