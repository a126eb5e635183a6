import Foundation
import ScopeLockProtocol

/// `prune`: delete expired and dead records (holder gone), each reported. Invalid records are never deleted.
public struct PruneRequest: Codable, Sendable {
    public var dryRun: Bool?

    public init(dryRun: Bool? = nil) { self.dryRun = dryRun }

    enum CodingKeys: String, CodingKey { case dryRun = "dry_run" }
}

public struct PruneResult: Encodable, Sendable {
    public let pruned: [LockRecord]
    public let dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case pruned
        case dryRun = "dry_run"
    }
}

extension Workspace {
    public func prune(_ request: PruneRequest) -> Outcome<PruneResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let dryRun = request.dryRun ?? false
            var expired: [LockRecord] = []
            var warnings: [ResultWarning] = []
            func collect(_ snapshot: LockSnapshot) {
                let time = now()
                expired = snapshot.records.compactMap(\.record).filter { !$0.isActive(at: time) }
                warnings = snapshot.records.compactMap(\.invalidError).map {
                    ResultWarning(code: "invalid_lock", message: $0.message + " (left in place)")
                }
            }
            let current = try store.snapshot()
            if dryRun || !current.exists {
                collect(current)
            } else {
                _ = try store.transact { snapshot throws(ErrorInfo) in
                    collect(snapshot)
                    return expired.map { .remove(agent: $0.agent, token: $0.token, event: .prune) }
                        + snapshot.waiters.filter(\.holder.isGone).map { .dequeue(agent: $0.agent) }
                }
            }
            return Outcome(PruneResult(pruned: expired, dryRun: dryRun), warnings: warnings)
        }
    }
}
