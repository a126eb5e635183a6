#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Path identity (interface.md section 1): the literal leading part of an entry or path is resolved through
/// symbolic links inside the root, so `alias/x.go` and `real/x.go` are one file for every command.
///
/// Only the literal leading segments are resolved, one `lstat` each until a name does not exist; a wildcard
/// segment that matches a symbolic link is not (the link's own name is what the pattern covers).
struct PathIdentity: Sendable {
    /// The most symbolic links followed for one path, as the kernel's limit.
    static let maximumLinks = 40

    /// The root's segments with symbolic links resolved.
    let realRootSegments: [String]

    /// The outcome of resolving a path.
    enum Resolution: Equatable {
        /// No symbolic link on the way: the names stand.
        case unchanged
        /// A link inside the root was followed: the real names, relative to the root, and the first link met
        /// (relative to the root, as given).
        case resolved([String], link: String)
        /// A link leads outside the root: the link (relative to the root) and its target.
        case leavesRoot(link: String, target: String)
        /// Links refer to each other without end.
        case loop(link: String)
    }

    /// Resolves the root-relative `names` (plain names, no `.` or `..`).
    func resolve(_ names: [String]) -> Resolution {
        var resolved = realRootSegments
        var pending = ArraySlice(names)
        var followed = 0
        var missing = false
        var linkSeen: String?
        while let name = pending.first {
            pending = pending.dropFirst()
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                if !resolved.isEmpty { resolved.removeLast() }
                continue
            }
            resolved.append(name)
            if missing { continue }
            let path = "/" + resolved.joined(separator: "/")
            var info = stat()
            guard lstat(path, &info) == 0 else {
                missing = true  // nothing beneath a missing name can be a link
                continue
            }
            guard info.st_mode & S_IFMT == S_IFLNK else { continue }
            let shown = Self.relative(resolved, to: realRootSegments)?.joined(separator: "/") ?? path
            followed += 1
            guard followed <= Self.maximumLinks, let target = Self.readLink(path) else { return .loop(link: linkSeen ?? shown) }
            linkSeen = linkSeen ?? shown
            resolved.removeLast()
            if target.hasPrefix("/") { resolved = [] }
            pending = ArraySlice(target.split(separator: "/").map(String.init)) + pending
        }
        guard followed > 0 else { return .unchanged }
        guard let relative = Self.relative(resolved, to: realRootSegments) else {
            return .leavesRoot(link: linkSeen ?? "", target: "/" + resolved.joined(separator: "/"))
        }
        return .resolved(relative, link: linkSeen ?? "")
    }

    /// The segments of `path` under `root`, or nil when it is not at or under it.
    private static func relative(_ path: [String], to root: [String]) -> [String]? {
        guard path.count >= root.count, Array(path.prefix(root.count)) == root else { return nil }
        return Array(path.dropFirst(root.count))
    }

    /// The target of the symbolic link at `path`.
    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
