import Foundation
import ScopeLockProtocol

/// `check`: what `acquire` would meet, writing nothing. Conflicts refuse exactly as `acquire` would.
public struct CheckRequest: Codable, Sendable {
    public var agent: String
    public var entries: [String]
    public var shared: Bool?

    public init(agent: String, entries: [String], shared: Bool? = nil) {
        self.agent = agent
        self.entries = entries
        self.shared = shared
    }
}

/// A clear check: the normalised entries acquire would record.
public struct CheckResult: Encodable, Sendable {
    public let entries: [String]
    public let conflicts: [ConflictInfo]
}

extension Workspace {
    public func check(_ request: CheckRequest) -> Outcome<CheckResult> {
        Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            var (entries, warnings) = try normalize(request.entries)
            let finder = ConflictFinder(agent: request.agent, entries: entries, shared: request.shared ?? false)
            let findings = try finder.examine(try store.snapshot(), now: now())
            guard findings.conflicts.isEmpty else {
                return Outcome<CheckResult>(error: .conflict(findings.conflicts, requester: request.agent), warnings: warnings)
                    .preferringExistingWitnesses(root: normalizer.root)
            }
            warnings += findings.expired.map { .overwroteExpired($0.agent) }
            return Outcome(CheckResult(entries: entries.map(\.text), conflicts: []), warnings: warnings)
        }
    }
}
