import Foundation
import ScopeLockProtocol

/// `status`: every record (or one agent's) with its state, and the waiters. Reads only.
public struct StatusRequest: Codable, Sendable {
    public var agent: String?

    public init(agent: String? = nil) { self.agent = agent }
}

/// One record as `status` shows it.
public struct LockStatus: Encodable, Sendable {
    public enum State: String, Encodable, Sendable { case active, expired, dead, invalid }

    public let agent: String
    public let file: String
    public let state: State
    /// Whole seconds until expiry (0 once expired); absent for invalid records.
    public let secondsLeft: Int?
    /// The record, when readable.
    public let lock: LockRecord?
    /// Why the record is invalid.
    public let reason: String?

    enum CodingKeys: String, CodingKey {
        case agent, file, state, lock, reason
        case secondsLeft = "seconds_left"
    }
}

/// One process waiting for a scope, as `status` shows it.
public struct WaiterStatus: Encodable, Sendable {
    public let agent: String
    public let state = "waiting"
    /// The entries it waits for.
    public let entries: [String]
    public let mode: LockMode
    /// Who it waits for: holders of overlapping locks, then earlier overlapping waiters, in queue order.
    public let behind: [String]
    /// When it started waiting.
    public let since: String
    /// The waiting process.
    public let holder: Holder

    enum CodingKeys: String, CodingKey { case agent, state, entries, mode, behind, since, holder }
}

public struct StatusResult: Encodable, Sendable {
    public let locks: [LockStatus]
    /// The queue, first come first.
    public let waiting: [WaiterStatus]
    /// The root paths are relative to.
    public let root: String
    /// The output directory read (`locks/` lives in it).
    public let outputDirectory: String
    /// Where the records were read: the locks folder of the file store, or the etcd store's address and prefix.
    public let lockFolder: String

    enum CodingKeys: String, CodingKey {
        case locks, waiting, root
        case outputDirectory = "output_directory"
        case lockFolder = "lock_folder"
    }
}

extension Workspace {
    public func status(_ request: StatusRequest) -> Outcome<StatusResult> {
        Outcome.catching { () throws(ErrorInfo) in
            if let agent = request.agent { try AgentName.validate(agent) }
            let time = now()
            let snapshot = try store.snapshot()
            let locks = snapshot.records
                .filter { request.agent == nil || $0.agent == request.agent }
                .map { stored in
                    switch stored.content {
                    case .valid(let record, _):
                        let left = record.expiresAt.timeIntervalSince(time)
                        return LockStatus(
                            agent: stored.agent, file: stored.path, state: left <= 0 ? .expired : record.isDead ? .dead : .active,
                            secondsLeft: max(0, Int(left.rounded(.up))), lock: record, reason: nil
                        )
                    case .invalid(let reason):
                        return LockStatus(agent: stored.agent, file: stored.path, state: .invalid, secondsLeft: nil, lock: nil, reason: reason)
                    }
                }
            let waiting = Self.queue(snapshot, at: time).filter { request.agent == nil || $0.agent == request.agent }
            if let agent = request.agent, locks.isEmpty, waiting.isEmpty {
                throw ErrorInfo(.notFound, "\(agent) holds no lock in \(store.location)", agent: agent)
            }
            return Outcome(StatusResult(locks: locks, waiting: waiting, root: location.root, outputDirectory: location.outputDirectory, lockFolder: store.location))
        }
    }

    /// The live waiters in queue order, each with whom it waits for.
    static func queue(_ snapshot: LockSnapshot, at time: Date) -> [WaiterStatus] {
        let waiters = snapshot.waiters.filter { !$0.holder.isGone }.sorted { $0.ticket < $1.ticket }
        return waiters.map { waiter in
            let finder = ConflictFinder(agent: waiter.agent, entries: waiter.entries, shared: waiter.shared)
            let holders = (try? finder.examine(snapshot, now: time).conflicts.map(\.agent)) ?? []
            let earlier = finder.waitersAhead(waiters, before: waiter.ticket).map(\.agent)
            var behind: [String] = []
            for agent in holders + earlier where !behind.contains(agent) { behind.append(agent) }
            return WaiterStatus(
                agent: waiter.agent, entries: waiter.entryTexts, mode: waiter.shared ? .shared : .exclusive,
                behind: behind, since: Timestamp.format(waiter.since), holder: waiter.holder
            )
        }
    }
}
