import Foundation
import ScopeLockProtocol

/// `renew`: push an active lock's `expires_at` forward, keeping its token. An expired lock is `lost`.
public struct RenewRequest: Codable, Sendable {
    public var agent: String
    /// New time to live from now; default: the TTL the lock was granted or last renewed with (`ttl_seconds`), or for
    /// a record without it, `expires_at - locked_at`.
    public var ttl: String?
    public var token: Int64?

    public init(agent: String, ttl: String? = nil, token: Int64? = nil) {
        self.agent = agent
        self.ttl = ttl
        self.token = token
    }
}

/// The renewed record, as written.
public struct RenewResult: Encodable, Sendable {
    public let lock: LockRecord
}

extension Workspace {
    public func renew(_ request: RenewRequest) -> Outcome<RenewResult> {
        Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            let ttl = try Self.seconds(request.ttl, name: "ttl")
            guard try store.snapshot(.agent(request.agent)).exists else { throw ErrorInfo.missing(request.agent, token: request.token, in: store) }
            let outcome = try store.transact(.agent(request.agent)) { snapshot throws(ErrorInfo) in
                guard let stored = snapshot.record(for: request.agent) else { throw ErrorInfo.missing(request.agent, token: request.token, in: store) }
                guard var record = stored.record else { throw stored.invalidError! }
                if let token = request.token, record.token != token {
                    throw ErrorInfo.lost(request.agent, token: token, record: record)
                }
                let time = now()
                guard !record.isExpired(at: time) else {
                    throw ErrorInfo(
                        .lost, "\(request.agent)'s lock expired at \(Timestamp.format(record.expiresAt)); acquire again", agent: request.agent
                    )
                }
                let duration = ttl ?? record.ttlSeconds ?? Self.originalSpan(of: record)
                record.expiresAt = TimeToLive.expiry(grantedAt: time, seconds: duration)
                record.ttlSeconds = duration
                return [.rewrite(record)]
            }
            return Outcome(RenewResult(lock: outcome.written[0]))
        }
    }

    /// The TTL of a record that does not say (written by hand or by an older version): the span it was granted for,
    /// `expires_at - locked_at`, which may be longer than any TTL and is then bounded like one. Only right before the
    /// first renew, which records what it used.
    static func originalSpan(of record: LockRecord) -> Int {
        let span = record.expiresAt.timeIntervalSince(record.lockedAt)
        return Int(min(max(1, span.rounded(.up)), Double(TimeToLive.maximumSeconds)))
    }
}
