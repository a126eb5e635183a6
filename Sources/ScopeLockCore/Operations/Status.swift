import Foundation
import ScopeLockProtocol

/// `status`: every record (or one agent's) with its state. Reads only.
public struct StatusRequest: Codable, Sendable {
    public var agent: String?

    public init(agent: String? = nil) { self.agent = agent }
}

/// One record as `status` shows it.
public struct LockStatus: Encodable, Sendable {
    public enum State: String, Encodable, Sendable { case active, expired, invalid }

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

public struct StatusResult: Encodable, Sendable {
    public let locks: [LockStatus]
    /// The root paths are relative to.
    public let root: String
    /// The output directory read (`locks/` lives in it).
    public let outputDirectory: String
    /// Where the records were read: the locks folder of the file store, or the etcd store's address and prefix.
    public let lockFolder: String

    enum CodingKeys: String, CodingKey {
        case locks, root
        case outputDirectory = "output_directory"
        case lockFolder = "lock_folder"
    }
}

extension Workspace {
    public func status(_ request: StatusRequest) -> Outcome<StatusResult> {
        Outcome.catching { () throws(ErrorInfo) in
            if let agent = request.agent { try AgentName.validate(agent) }
            let time = now()
            let locks = try store.snapshot().records
                .filter { request.agent == nil || $0.agent == request.agent }
                .map { stored in
                    switch stored.content {
                    case .valid(let record, _):
                        let left = record.expiresAt.timeIntervalSince(time)
                        return LockStatus(
                            agent: stored.agent, file: stored.path, state: left > 0 ? .active : .expired,
                            secondsLeft: max(0, Int(left.rounded(.up))), lock: record, reason: nil
                        )
                    case .invalid(let reason):
                        return LockStatus(agent: stored.agent, file: stored.path, state: .invalid, secondsLeft: nil, lock: nil, reason: reason)
                    }
                }
            if let agent = request.agent, locks.isEmpty {
                throw ErrorInfo(.notFound, "\(agent) holds no lock in \(store.location)", agent: agent)
            }
            return Outcome(StatusResult(locks: locks, root: location.root, outputDirectory: location.outputDirectory, lockFolder: store.location))
        }
    }
}
