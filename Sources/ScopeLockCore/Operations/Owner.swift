import Foundation
import ScopeLockProtocol

/// `owner`: which active records cover each path.
public struct OwnerRequest: Codable, Sendable {
    public var paths: [String]

    public init(paths: [String]) { self.paths = paths }
}

public struct OwnerResult: Encodable, Sendable {
    /// One holder of a path.
    public struct Holder: Encodable, Sendable {
        public let agent: String
        public let entry: String
        public let mode: LockMode
        public let token: Int64?
        public let expiresAt: String

        enum CodingKeys: String, CodingKey {
            case agent, entry, mode, token
            case expiresAt = "expires_at"
        }
    }

    /// A path and the records covering it (empty when free).
    public struct PathOwners: Encodable, Sendable {
        public let path: String
        public let owners: [Holder]
    }

    public let paths: [PathOwners]
}

extension Workspace {
    public func owner(_ request: OwnerRequest) -> Outcome<OwnerResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let (entries, warnings) = try normalize(request.paths)
            let snapshot = try store.snapshot()
            if let invalid = snapshot.firstInvalid?.invalidError { throw invalid }
            let time = now()
            let active = snapshot.records.compactMap { stored -> (LockRecord, ScopeMatcher)? in
                guard let record = stored.record, record.isActive(at: time), let scope = stored.scope else { return nil }
                return (record, scope)
            }
            let paths = entries.map { entry in
                let asked = CompiledEntry(entry)
                var holders: [OwnerResult.Holder] = []
                for (record, held) in active {
                    for candidate in held.entries where held.witness(candidate, asked) != nil {
                        holders.append(OwnerResult.Holder(
                            agent: record.agent, entry: candidate.entry.text, mode: record.mode ?? .exclusive,
                            token: record.token, expiresAt: Timestamp.format(record.expiresAt)
                        ))
                    }
                }
                return OwnerResult.PathOwners(path: entry.text, owners: holders)
            }
            return Outcome(OwnerResult(paths: paths), warnings: warnings)
        }
    }
}
