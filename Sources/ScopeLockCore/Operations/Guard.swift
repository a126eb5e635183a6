import Foundation
import ScopeLockProtocol

/// `guard`: every changed path must lie inside the agent's own active lock and outside every other agent's active
/// exclusive lock. The paths come from git (`staged`: the index; `since`: the work tree against a revision, a
/// rename counting both names) or are given. Writes nothing.
public struct GuardRequest: Codable, Sendable {
    public var agent: String
    /// Paths relative to the root (or absolute under it).
    public var paths: [String]?
    /// Check the paths staged for the next commit.
    public var staged: Bool?
    /// Check the paths changed since this revision.
    public var since: String?

    public init(agent: String, paths: [String]? = nil, staged: Bool? = nil, since: String? = nil) {
        self.agent = agent
        self.paths = paths
        self.staged = staged
        self.since = since
    }
}

/// Every checked path, each with the agent's own entry covering it; `violations` is empty here (a violation
/// refuses with `guard_violation`, whose error lists them).
public struct GuardResult: Encodable, Sendable {
    /// A changed path and the entry of the agent's lock that covers it.
    public struct CheckedPath: Encodable, Sendable {
        public let path: String
        public let entry: String
    }

    public let agent: String
    public let paths: [CheckedPath]
    public let violations: [GuardViolation]
}

extension Workspace {
    public func `guard`(_ request: GuardRequest) async -> Outcome<GuardResult> {
        do throws(ErrorInfo) {
            try AgentName.validate(request.agent)
            let root = absoluteRoot
            let paths = try await changedPaths(request, root: root)
            return try judge(paths, agent: request.agent)
        } catch {
            return Outcome(error: error)
        }
    }

    /// The paths the request names, from exactly one source.
    private func changedPaths(_ request: GuardRequest, root: String) async throws(ErrorInfo) -> [String] {
        let given = request.paths ?? []
        let sources = [!given.isEmpty, request.staged == true, request.since != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ErrorInfo(
                .invalidInput,
                sources == 0 ? "nothing to check: give --staged, --since REV or paths" : "give only one of --staged, --since REV and paths"
            )
        }
        if request.staged == true { return try await ChangedPaths.staged(root: root) }
        if let since = request.since { return try await ChangedPaths.since(since, root: root) }
        var paths: [String] = []
        for raw in given {
            let path = try ChangedPaths.normalize(raw, root: root)
            if !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    /// Checks `paths` against the locks as they are now.
    private func judge(_ paths: [String], agent: String) throws(ErrorInfo) -> Outcome<GuardResult> {
        let snapshot = try store.snapshot()
        if let invalid = snapshot.firstInvalid?.invalidError { throw invalid }
        let time = now()
        var own: [CompiledEntry] = []
        var holdsLock = false
        var others: [(LockRecord, [CompiledEntry])] = []
        for stored in snapshot.records {
            guard case .valid(let record, let entries) = stored.content, record.isActive(at: time) else { continue }
            if record.agent == agent {
                own = entries.map(CompiledEntry.init)
                holdsLock = true
            } else if !record.isShared {
                others.append((record, entries.map(CompiledEntry.init)))
            }
        }
        var checked: [GuardResult.CheckedPath] = []
        var violations: [GuardViolation] = []
        for path in paths {
            if let entry = own.first(where: { $0.matches(path) }) {
                checked.append(.init(path: path, entry: entry.entry.text))
            } else {
                violations.append(GuardViolation(path: path, reason: .outsideOwnLock))
            }
            for (record, entries) in others {
                for entry in entries where entry.matches(path) {
                    violations.append(GuardViolation(
                        path: path, reason: .heldByOther, agent: record.agent, entry: entry.entry.text,
                        expiresAt: Timestamp.format(record.expiresAt)
                    ))
                }
            }
        }
        guard violations.isEmpty else {
            var error = ErrorInfo(.guardViolation, Self.describe(violations, agent: agent, holdsLock: holdsLock), agent: agent)
            error.violations = violations
            throw error
        }
        return Outcome(GuardResult(agent: agent, paths: checked, violations: []))
    }

    /// The root as an absolute path, for git's working directory and for absolute paths given.
    private var absoluteRoot: String {
        let root = normalizer.root
        return root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
    }

    /// One sentence naming the first violations and what to do.
    private static func describe(_ violations: [GuardViolation], agent: String, holdsLock: Bool) -> String {
        let paths = Set(violations.map(\.path)).count
        let shown = violations.prefix(3).map { violation in
            switch violation.reason {
            case .outsideOwnLock: "\(violation.path) is outside \(agent)'s lock"
            case .heldByOther: "\(violation.path) is locked by \(violation.agent ?? "another agent") (\(violation.entry ?? ""))"
            }
        }
        let more = violations.count > 3 ? "; and \(violations.count - 3) more" : ""
        let lockNote = holdsLock ? "" : " (\(agent) holds no active lock)"
        return "\(paths) changed path(s) are not \(agent)'s to change\(lockNote): " + shown.joined(separator: "; ") + more
            + ". Acquire them first, or leave them out of the change"
    }
}
