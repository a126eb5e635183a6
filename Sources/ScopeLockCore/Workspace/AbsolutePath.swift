/// Lexical operations on absolute filesystem paths (no filesystem access): joining, resolving `.` and `..`,
/// parents, and whether one path lies under another.
public enum AbsolutePath {
    /// `path` made absolute against `base` (when relative) and lexically normalised: no empty, `.` or `..`
    /// segments, no trailing `/`; `..` at `/` stays at `/`.
    public static func resolve(_ path: String, against base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return "/" + segments(of: joined).joined(separator: "/")
    }

    /// The lexically normalised segments of an absolute path.
    public static func segments(of path: String) -> [String] {
        var segments: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(String(part))
            }
        }
        return segments
    }

    /// `folder/name` without a doubled `/` at the filesystem root.
    public static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }

    /// The folder holding `path` (normalised), or nil for `/`.
    public static func parent(of path: String) -> String? {
        guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The segments of `path` below `folder` (both normalised), or nil when `path` is not at or under it.
    public static func relative(_ path: String, under folder: String) -> [String]? {
        if folder == "/" { return segments(of: path) }
        guard path.hasPrefix(folder) else { return nil }
        let rest = path.dropFirst(folder.count)
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }
        return rest.split(separator: "/").map(String.init)
    }
}

extension AbsolutePath {
    /// Whether the relative `path`, taken from `folder`, climbs with `..` above `/`.
    static func climbsAbove(_ path: String, from folder: String) -> Bool {
        var depth = segments(of: folder).count
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." {
                depth -= 1
                if depth < 0 { return true }
            } else if part != "." {
                depth += 1
            }
        }
        return false
    }
}
