#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ScopeLockProtocol

/// Witnesses people recognise (interface.md section 2): a conflict's witness is a file that exists under the
/// root and both entries cover, when a bounded search finds one; else the shortest synthetic path stays.
///
/// It runs only on a refusal, after the store's exclusive access has ended, and looks only below the two
/// entries' common literal prefix, visiting at most `limit` names per conflict (`.git` skipped).
enum ExistingWitness {
    /// The most directory entries visited for one conflict.
    static let limit = 2_000

    /// `conflicts` with each synthetic witness replaced by an existing covered file where one is found.
    static func preferringExisting(_ conflicts: [ConflictInfo], root: String) -> [ConflictInfo] {
        var found: [String: String] = [:]  // "held\0requested" → witness
        return conflicts.map { conflict in
            let key = conflict.held + "\0" + conflict.requested
            if found[key] == nil { found[key] = witness(conflict, root: root) ?? conflict.witness }
            return ConflictInfo(
                agent: conflict.agent, held: conflict.held, requested: conflict.requested, witness: found[key]!,
                expiresAt: conflict.expiresAt, waiting: conflict.waiting
            )
        }
    }

    /// An existing file under `root` that both entries of `conflict` cover, or nil.
    private static func witness(_ conflict: ConflictInfo, root: String) -> String? {
        if isFile(AbsolutePath.join(root, conflict.witness)) { return conflict.witness }
        guard let held = try? ScopeEntry(parsing: conflict.held), let requested = try? ScopeEntry(parsing: conflict.requested) else { return nil }
        let a = CompiledEntry(held)
        let b = CompiledEntry(requested)
        let left = LiteralPrefix.segments(of: held)
        let right = LiteralPrefix.segments(of: requested)
        var common: [Substring] = []
        for (x, y) in zip(left, right) {
            guard x == y else { break }
            common.append(x)
        }
        var visited = 0
        var stack = [common.joined(separator: "/")]
        while let relative = stack.popLast() {
            let folder = relative.isEmpty ? root : AbsolutePath.join(root, relative)
            guard let names = names(in: folder) else { continue }
            var folders: [String] = []
            for name in names where name != ".git" {
                visited += 1
                if visited > limit { return nil }
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(AbsolutePath.join(root, path), &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    folders.append(path)
                } else if a.matches(path), b.matches(path) {
                    return path
                }
            }
            stack += folders.reversed()
        }
        return nil
    }

    private static func isFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The names in `folder`, sorted, without `.` and `..`; nil when it cannot be listed.
    private static func names(in folder: String) -> [String]? {
        guard let stream = opendir(folder) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension Outcome {
    /// This outcome with a refusal's witnesses naming existing files under `root` where a bounded search finds them.
    func preferringExistingWitnesses(root: String) -> Outcome {
        guard let error, let conflicts = error.conflicts, !conflicts.isEmpty else { return self }
        let better = ExistingWitness.preferringExisting(conflicts, root: root)
        guard better != conflicts else { return self }
        var message = error.message
        let old = "both cover " + conflicts[0].witness
        if message.hasSuffix(old) { message = String(message.dropLast(old.count)) + "both cover " + better[0].witness }
        var replaced = ErrorInfo(error.code, message, conflicts: better, file: error.file, entry: error.entry, position: error.position, agent: error.agent)
        replaced.violations = error.violations
        replaced.agents = error.agents
        replaced.line = error.line
        replaced.column = error.column
        var copy = self
        copy.error = replaced
        return copy
    }
}
