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
            let path: String
            do { path = try normalizer.normalizePath(raw).path } catch { throw ErrorInfo(scope: error) }
            if !paths.contains(path) { paths.append(path) }
        }
        return paths
    }

    /// Checks `paths` against the locks as they are now.
    private func judge(_ paths: [String], agent: String) throws(ErrorInfo) -> Outcome<GuardResult> {
        let snapshot = try store.snapshot()
        if let invalid = snapshot.firstInvalid?.invalidError { throw invalid }
        let time = now()
        var own = ScopeMatcher(entries: [])
        var holdsLock = false
        var others: [(LockRecord, ScopeMatcher)] = []
        for stored in snapshot.records {
            guard let record = stored.record, record.isActive(at: time), let scope = stored.scope else { continue }
            if record.agent == agent {
                own = scope
                holdsLock = true
            } else if !record.isShared {
                others.append((record, scope))
            }
        }
        var checked: [GuardResult.CheckedPath] = []
        var violations: [GuardViolation] = []
        for path in paths {
            // A path ending in `/` is a submodule whose commit changed: it must be covered as a whole folder.
            // A path an exclude of the agent's own scope covers lies outside its lock.
            let folder = path.hasSuffix("/") ? Self.folderEntry(path) : nil
            let ownEntry = folder.map { folder in
                own.entries.first { Self.covers($0, path: path) }.flatMap { Self.touches(own.excludes, folder: folder, path: path) ? nil : $0 }
            } ?? own.coveringEntry(path)
            if let entry = ownEntry {
                checked.append(.init(path: path, entry: entry.entry.text))
            } else {
                violations.append(GuardViolation(path: path, reason: .outsideOwnLock))
            }
            for (record, scope) in others {
                let touched = scope.entries.filter { entry in
                    if let folder {
                        let name = String(path.dropLast())
                        return (entry.matches(name) && !scope.excludes.excludes(name))
                            || CompiledEntry.witness(CompiledEntry(folder), excluding: .none, entry, excluding: scope.excludes) != nil
                    }
                    return entry.matches(path) && !scope.excludes.excludes(path)
                }
                for entry in touched {
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

    /// The directory entry naming the submodule folder `path` (`vendor/lib/`), its names taken literally.
    private static func folderEntry(_ path: String) -> ScopeEntry? {
        let names = path.split(separator: "/").map(String.init)
        return try? ScopeEntry(literalNames: names, directory: true, raw: path)
    }

    /// Whether `entry` covers the whole submodule folder: it names the submodule itself, or is a folder at or
    /// above it.
    private static func covers(_ entry: CompiledEntry, path: String) -> Bool {
        if entry.matches(String(path.dropLast())) { return true }
        // A folder entry that holds one path beneath the submodule holds them all (it matches by ancestor).
        return entry.entry.kind == .directory && entry.matches(path + "x")
    }

    /// Whether some of `excludes` takes away the submodule folder `path` or anything inside it.
    private static func touches(_ excludes: ExcludeSet, folder: ScopeEntry, path: String) -> Bool {
        guard !excludes.isEmpty else { return false }
        if excludes.excludes(String(path.dropLast())) { return true }
        let inside = CompiledEntry(folder)
        return excludes.entries.contains { CompiledEntry.witness(inside, CompiledEntry($0)) != nil }
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
