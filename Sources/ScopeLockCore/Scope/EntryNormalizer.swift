/// Normalises entries given on a command line or in a manifest against a repository root,
/// looking at the filesystem (interface.md section 1).
public struct EntryNormalizer: Sendable {
    /// The repository root: absolute and lexically normalised.
    public let root: String
    /// `root` split into segments.
    private let rootSegments: [String]
    /// The root with symbolic links resolved, when that differs from `root`.
    private let resolvedRootSegments: [String]?

    /// A normaliser for `root`, absolute or relative to the current directory.
    public init(root: String) {
        let absolute = root.hasPrefix("/") ? root : FileProbe.currentDirectory() + "/" + root
        rootSegments = Self.plainSegments(absolute)
        self.root = "/" + rootSegments.joined(separator: "/")
        if let real = FileProbe.realPath(self.root) {
            let realSegments = Self.plainSegments(real)
            resolvedRootSegments = realSegments == rootSegments ? nil : realSegments
        } else {
            resolvedRootSegments = nil
        }
    }

    /// Normalises `raw`: absolute paths under the root become relative, and absolute paths
    /// outside it, or `..` climbing above it, are errors. An entry naming an existing directory
    /// becomes a directory entry. An entry naming an existing file or directory whose name holds
    /// glob metacharacters (e.g. `app/[id]/page.tsx`) becomes that literal path, escaped, with
    /// `escapedLiteral` set.
    public func normalize(_ raw: String) throws(ScopeError) -> NormalizedEntry {
        // The common case, a relative path with no metacharacter that is already normal, in one pass.
        if let plain = ScopeEntry.plainLiteral(raw, asDirectory: false) {
            guard plain.kind == .file, FileProbe.kind(atPath: absolutePath(ofText: plain.text)) == .directory else {
                return NormalizedEntry(entry: plain, escapedLiteral: false)
            }
            if let directory = ScopeEntry.plainLiteral(raw, asDirectory: true) {
                return NormalizedEntry(entry: directory, escapedLiteral: false)
            }
        }
        return try normalizeInFull(raw)
    }

    /// The full normalisation behind `normalize(_:)`, for any entry.
    func normalizeInFull(_ raw: String) throws(ScopeError) -> NormalizedEntry {
        if raw == "/" { throw .loneSlash(raw) }
        if ScopeEntry.hasMetacharacters(raw),
           let plain = try? relativePath(raw, mode: .plain),
           !plain.segments.isEmpty,
           let found = FileProbe.kind(atPath: absolutePath(of: plain.segments)),
           found == .directory || !plain.namesDirectory {
            let entry = try ScopeEntry(literalNames: plain.segments.map(\.text),
                                       directory: found == .directory, raw: raw)
            return NormalizedEntry(entry: entry, escapedLiteral: true)
        }
        let path = try relativePath(raw, mode: .glob)
        var entry = try ScopeEntry(segments: path.segments, directory: path.namesDirectory, raw: raw)
        if entry.kind == .file, FileProbe.kind(atPath: absolutePath(of: entry.segments)) == .directory {
            entry = try ScopeEntry(segments: entry.segments, directory: true, raw: raw)
        }
        return NormalizedEntry(entry: entry, escapedLiteral: false)
    }

    /// The lexically resolved segments of `raw`, relative to the root.
    private func relativePath(_ raw: String, mode: GlobParser.Mode) throws(ScopeError) -> LexicalPath {
        var path = try LexicalPath(resolving: try GlobParser.segments(of: raw, mode: mode), entry: raw)
        guard path.isAbsolute else { return path }
        if let rest = path.removingPrefix(rootSegments) {
            path.segments = rest
        } else if let resolved = resolvedRootSegments, let rest = path.removingPrefix(resolved) {
            path.segments = rest
        } else {
            throw .outsideRoot(raw, root: root)
        }
        path.isAbsolute = false
        return path
    }

    /// The absolute filesystem path of a plain relative path under the root.
    private func absolutePath(ofText text: String) -> String {
        (root == "/" ? "" : root) + "/" + text
    }

    /// The absolute filesystem path of literal segments under the root.
    private func absolutePath(of segments: [GlobSegment]) -> String {
        let names = segments.map { $0.literalValue ?? $0.text }
        return (rootSegments + names).reduce("") { $0 + "/" + $1 }
    }

    /// An absolute path split into segments, with `.`, `..` and empty segments resolved.
    private static func plainSegments(_ path: String) -> [String] {
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
}
