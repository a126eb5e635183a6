import Foundation
import ScopeLockProtocol

/// `check`: what `acquire` would meet, writing nothing. Conflicts refuse exactly as `acquire` would.
public struct CheckRequest: Codable, Sendable {
    public var agent: String
    public var entries: [String]
    public var shared: Bool?
    /// Entries the scope does not cover.
    public var excludes: [String]?

    public init(agent: String, entries: [String], shared: Bool? = nil, excludes: [String]? = nil) {
        self.excludes = excludes
        self.agent = agent
        self.entries = entries
        self.shared = shared
    }
}

/// A clear check: the normalised entries acquire would record.
public struct CheckResult: Encodable, Sendable {
    public let entries: [String]
    /// The normalised excludes; absent when there are none.
    public let excludes: [String]?
    public let conflicts: [ConflictInfo]
}

extension Workspace {
    public func check(_ request: CheckRequest) -> Outcome<CheckResult> {
        Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            var (entries, warnings) = try normalize(request.entries)
            let (excludes, excludeSet, excludeWarnings) = try normalizeExcludes(request.excludes, of: entries)
            warnings += excludeWarnings
            let finder = ConflictFinder(agent: request.agent, entries: entries, excludes: excludeSet, shared: request.shared ?? false)
            let findings = try finder.examine(try store.snapshot(), now: now())
            guard findings.conflicts.isEmpty else {
                return Outcome<CheckResult>(error: .conflict(findings.conflicts, requester: request.agent), warnings: warnings)
                    .preferringExistingWitnesses(root: normalizer.root)
            }
            warnings += findings.expired.map { .overwroteExpired($0.agent) }
            return Outcome(CheckResult(entries: entries.map(\.text), excludes: excludes.isEmpty ? nil : excludes.map(\.text), conflicts: []), warnings: warnings)
        }
    }
}
