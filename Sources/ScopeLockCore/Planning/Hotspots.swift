import Foundation
import ScopeLockProtocol

/// Files that nearly every agent ends up touching (package manifests, lockfiles, barrels, route tables,
/// `.env.example`): where parallel agents collide. `plan` warns where a scope covers one, or none does.
enum Hotspots {
    static let names: Set<String> = [
        "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum", "Cargo.toml",
        "Cargo.lock", "Package.swift", "Package.resolved", "pyproject.toml", "poetry.lock", "requirements.txt",
        "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle", "composer.json", "composer.lock", "index.ts",
        "index.js", "index.tsx", "routes.ts", "routes.js", "router.ts", "urls.py", ".env.example",
    ]
    static let skipped: Set<String> = [".git", "node_modules", ".build", "vendor", "dist", "target"]
    static let walkLimit = 50_000
    static let warningLimit = 20

    /// Warnings for the hotspot files under `root`, given the scopes of the agents that take locks.
    static func warnings(root: String, scopes: [CompiledScope]) -> [ResultWarning] {
        let found = find(root: root)
        guard !found.isEmpty else { return [] }
        var index = ScopeIndex<String>()
        for scope in scopes {
            for entry in scope.entries { index.insert(entry, value: scope.name) }
        }
        var warnings: [ResultWarning] = []
        for path in found {
            guard let entry = ScopeEntry.repositoryFile(path) else { continue }
            let holders = Array(Set(index.overlaps(with: CompiledEntry(entry)).map(\.value))).sorted()
            let message = holders.isEmpty
                ? "no agent's scope covers \(path): an agent that needs to change it will edit outside its lock"
                : "\(path) is in the scope of \(holders.joined(separator: ", ")): agents that need it will wait or collide there"
            warnings.append(ResultWarning(code: "hotspot", message: message))
        }
        if warnings.count > warningLimit {
            let rest = warnings.count - warningLimit
            warnings = Array(warnings.prefix(warningLimit)) + [ResultWarning(code: "hotspot", message: "and \(rest) more shared files")]
        }
        return warnings
    }

    /// Hotspot files under `root`, breadth first, bounded.
    private static func find(root: String) -> [String] {
        var found: [String] = []
        var queue = [""]
        var head = 0
        var visited = 0
        while head < queue.count, visited < walkLimit {
            let relative = queue[head]
            head += 1
            let absolute = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names.sorted() where !skipped.contains(name) {
                visited += 1
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    queue.append(path)
                } else if Self.names.contains(name) {
                    found.append(path)
                }
            }
        }
        return found
    }
}
