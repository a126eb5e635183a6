/// One changed path that `guard` refused: outside the agent's own active lock, or inside another agent's
/// active exclusive lock (then with that lock's agent, entry and expiry).
public struct GuardViolation: Codable, Sendable, Hashable {
    /// Why the path may not be changed.
    public enum Reason: String, Codable, Sendable {
        /// No entry of the agent's own active lock covers the path (or the agent holds no active lock).
        case outsideOwnLock = "outside_own_lock"
        /// Another agent's active exclusive lock covers the path.
        case heldByOther = "held_by_other"
    }

    /// The changed path, relative to the root.
    public let path: String
    public let reason: Reason
    /// The agent whose lock covers the path (`held_by_other`).
    public let agent: String?
    /// That lock's entry covering the path (`held_by_other`).
    public let entry: String?
    /// When that lock expires (UTC, RFC 3339; `held_by_other`).
    public let expiresAt: String?

    public init(path: String, reason: Reason, agent: String? = nil, entry: String? = nil, expiresAt: String? = nil) {
        self.path = path
        self.reason = reason
        self.agent = agent
        self.entry = entry
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case path, reason, agent, entry
        case expiresAt = "expires_at"
    }
}
