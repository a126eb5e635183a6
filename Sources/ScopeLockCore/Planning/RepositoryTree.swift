import Foundation

/// The repository files (relative to root) that some entries cover, found by walking only below each
/// entry's literal prefix. Skips `.git`; stops at a limit, saying so.
enum RepositoryTree {
    static let limit = 100_000

    /// Files under `root` covered by any of `entries`, sorted; `truncated` when the walk hit the limit.
    /// Each file found is looked up in an index of the entries, so it meets only those that could cover it.
    static func files(coveredBy entries: [CompiledEntry], root: String) -> (files: [String], truncated: Bool) {
        var index: ScopeIndex<Int>?
        func covered(_ path: String) -> Bool {
            guard let file = ScopeEntry.repositoryFile(path) else { return entries.contains { $0.matches(path) } }
            if index == nil {
                var built = ScopeIndex<Int>()
                for (position, entry) in entries.enumerated() { built.insert(entry, value: position) }
                index = built
            }
            return !index!.overlaps(with: CompiledEntry(file)).isEmpty
        }

        var found: Set<String> = []
        var visited = 0
        var starts: Set<String> = []
        for entry in entries {
            var segments = LiteralPrefix.segments(of: entry.entry)
            if entry.entry.kind == .file, segments.count == entry.entry.text.split(separator: "/").count {
                segments.removeLast()  // the last segment of a plain file is the file itself
            }
            starts.insert(segments.joined(separator: "/"))
        }
        for start in starts.sorted() {
            var stack = [start]
            while let relative = stack.popLast() {
                let absolute = relative.isEmpty ? root : root + "/" + relative
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { continue }
                for name in names where name != ".git" {
                    visited += 1
                    if visited > limit { return (found.sorted(), true) }
                    let path = relative.isEmpty ? name : relative + "/" + name
                    var info = stat()
                    guard lstat(root + "/" + path, &info) == 0 else { continue }
                    if info.st_mode & S_IFMT == S_IFDIR {
                        stack.append(path)
                    } else if covered(path) {
                        found.insert(path)
                    }
                }
            }
        }
        return (found.sorted(), false)
    }
}
