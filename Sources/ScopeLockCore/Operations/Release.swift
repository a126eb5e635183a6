import Foundation
import ScopeLockProtocol

/// `release`: remove an agent's lock, or with `entries` only those entries of it (the lock goes when it is
/// empty). With `token`, only if the record still carries it (else `lost`); `force` removes it whatever its
/// token or state, an invalid record included.
public struct ReleaseRequest: Codable, Sendable {
    public var agent: String
    public var token: Int64?
    public var force: Bool?
    /// Give back only these entries (as held: the same files, directories/ and globs).
    public var entries: [String]?

    public init(agent: String, token: Int64? = nil, force: Bool? = nil, entries: [String]? = nil) {
        self.agent = agent
        self.token = token
        self.force = force
        self.entries = entries
    }
}

/// The record that was removed (absent when a forced release removed an unreadable one); after a partial
/// release, `lock` is what the agent still holds (absent when nothing is left).
public struct ReleaseResult: Encodable, Sendable {
    public let released: LockRecord?
    public var lock: LockRecord? = nil
}

extension Workspace {
    public func release(_ request: ReleaseRequest) -> Outcome<ReleaseResult> {
        Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            let force = request.force ?? false
            var warnings: [ResultWarning] = []
            var released: LockRecord?
            var remaining: LockRecord?
            let giving = try request.entries.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(ErrorInfo) in try normalize(raw).entries }
            guard try store.snapshot(.agent(request.agent)).exists else { throw ErrorInfo.missing(request.agent, token: request.token, in: store) }
            _ = try store.transact(.agent(request.agent)) { snapshot throws(ErrorInfo) in
                warnings = []  // a store may run this more than once
                released = nil
                remaining = nil
                guard let stored = snapshot.record(for: request.agent) else { throw ErrorInfo.missing(request.agent, token: request.token, in: store) }
                guard let record = stored.record else {
                    guard force, let invalid = stored.invalidError else { throw stored.invalidError! }
                    warnings.append(ResultWarning(code: "removed_invalid", message: "removed the unreadable record \(invalid.file ?? stored.path)"))
                    return [.remove(agent: request.agent, token: nil, event: .force)]
                }
                if let token = request.token, record.token != token, !force {
                    throw ErrorInfo.lost(request.agent, token: token, record: record)
                }
                if record.isExpired(at: now()) {
                    warnings.append(ResultWarning(code: "expired", message: "\(request.agent)'s lock had expired at \(Timestamp.format(record.expiresAt))"))
                }
                released = record
                if let giving {
                    let held = Set(record.files + (record.directories ?? []))
                    if let stranger = giving.first(where: { !held.contains($0.text) }) {
                        throw ErrorInfo(
                            .notOwner,
                            "\(request.agent) does not hold \(stranger.text); it holds \(held.sorted().joined(separator: ", ")) (give back entries exactly as held)",
                            entry: stranger.text, agent: request.agent
                        )
                    }
                    let gone = Set(giving.map(\.text))
                    var rest = record
                    rest.files = record.files.filter { !gone.contains($0) }
                    rest.directories = record.directories.map { $0.filter { !gone.contains($0) } }
                    if !rest.files.isEmpty || !(rest.directories ?? []).isEmpty {
                        remaining = rest
                        return [.amend(rest, event: .release)]
                    }
                }
                return [.remove(agent: request.agent, token: record.token, event: force ? .force : .release)]
            }
            return Outcome(ReleaseResult(released: released, lock: remaining), warnings: warnings)
        }
    }
}

extension ErrorInfo {
    /// No record for `agent`: `lost` when the caller holds a token (its grant is gone), else `not_found`.
    static func missing(_ agent: String, token: Int64?, in store: any LockStore) -> ErrorInfo {
        guard let token else { return ErrorInfo(.notFound, "\(agent) holds no lock in \(store.location)", agent: agent) }
        return ErrorInfo(
            .lost, "\(agent)'s lock with token \(token) is gone: it was released, or expired and was taken over; acquire again",
            agent: agent
        )
    }

    /// `lost`: the record no longer carries the caller's token; someone else was granted the lock since.
    static func lost(_ agent: String, token: Int64, record: LockRecord) -> ErrorInfo {
        ErrorInfo(
            .lost,
            "\(agent)'s lock with token \(token) is gone: the record now carries token \(record.token.map(String.init) ?? "none"); acquire again",
            agent: agent
        )
    }
}
