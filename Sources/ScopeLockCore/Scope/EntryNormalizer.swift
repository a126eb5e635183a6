/// Normalises entries given on a command line, in a request or in a manifest against a repository root,
/// looking at the filesystem (interface.md section 1).
public struct EntryNormalizer: Sendable {
    /// The repository root: absolute and lexically normalised.
    public let root: String
    /// `root` split into segments.
    private let rootSegments: [String]
    /// The root with symbolic links resolved, when that differs from `root`.
    private let resolvedRootSegments: [String]?
    /// The folder, below the root, that relative entries start from (the current directory on the command
    /// line, as git pathspecs; empty: the root).
    public let base: [String]
    /// The base as glob segments, escaped.
    private let baseSegments: [GlobSegment]
    /// Resolves symbolic links on entries' literal leading parts.
    private let identity: PathIdentity

    /// The most paths braces holding `/`, `.` or `..` may expand to before each is normalised.
    static let maximumExpansions = 1024

    /// A normaliser for `root`, absolute or relative to the current directory; relative entries start from
    /// `base`, a folder under the root given as segments.
    public init(root: String, base: [String] = []) {
        let absolute = root.hasPrefix("/") ? root : FileProbe.currentDirectory() + "/" + root
        rootSegments = AbsolutePath.segments(of: absolute)
        self.root = "/" + rootSegments.joined(separator: "/")
        if let real = FileProbe.realPath(self.root) {
            let realSegments = AbsolutePath.segments(of: real)
            resolvedRootSegments = realSegments == rootSegments ? nil : realSegments
        } else {
            resolvedRootSegments = nil
        }
        self.base = base
        baseSegments = base.map { name in
            GlobSegment(nodes: name.unicodeScalars.map { GlobNode.literal($0) }, text: ScopeEntry.escaped(name), position: 0)
        }
        identity = PathIdentity(realRootSegments: resolvedRootSegments ?? rootSegments)
    }

    /// Normalises `raw`: a relative entry starts from `base`; absolute paths under the root become relative,
    /// and absolute paths outside it, or `..` climbing above it, are errors; normalisation applies inside
    /// every `{...}` alternative, and an entry that can cover no path is an error. The literal leading part
    /// is resolved through symbolic links inside the root (`resolvedLink` says so); a link leaving the root is
    /// an error. An entry naming an existing directory becomes a directory entry. An entry naming an existing
    /// file or directory whose name holds glob metacharacters (e.g. `app/[id]/page.tsx`) becomes that literal
    /// path, escaped, with `escapedLiteral` set.
    public func normalize(_ raw: String) throws(ScopeError) -> NormalizedEntry {
        // The common case, a relative path with no metacharacter that is already normal, in one pass.
        if ScopeEntry.plainLiteral(raw, asDirectory: false) != nil,
           let plain = ScopeEntry.plainLiteral(base.isEmpty ? raw : base.joined(separator: "/") + "/" + raw, asDirectory: false) {
            return try literal(plain, raw: raw, escaped: false)
        }
        return try normalizeInFull(raw)
    }

    /// A concrete path (no glob syntax: every character literal), as `guard` takes them: relative to `base`, or
    /// absolute under the root; symbolic links inside the root resolved. Returns the root-relative path and the
    /// path as given when it passed through a link.
    public func normalizePath(_ raw: String) throws(ScopeError) -> (path: String, resolvedLink: String?) {
        if raw == "/" { throw .loneSlash(raw) }
        let lexical = try relativePath(raw, mode: .plain)
        let names = lexical.segments.map { $0.literalValue ?? $0.text }
        guard !names.isEmpty else { throw .namesRoot(raw) }
        switch identity.resolve(names) {
        case .unchanged:
            return (names.joined(separator: "/"), nil)
        case .resolved(let real, let through):
            guard !real.isEmpty else { throw .namesRoot(raw) }
            return (real.joined(separator: "/"), through)
        case .leavesRoot(let at, let target):
            throw .linkLeavesRoot(raw, link: at, target: target)
        case .loop(let at):
            throw .linkLoop(raw, link: at)
        }
    }

    /// The full normalisation behind `normalize(_:)`, for any entry.
    func normalizeInFull(_ raw: String) throws(ScopeError) -> NormalizedEntry {
        if raw == "/" { throw .loneSlash(raw) }
        if ScopeEntry.hasMetacharacters(raw),
           let plain = try? relativePath(raw, mode: .plain),
           !plain.segments.isEmpty,
           let found = FileProbe.kind(atPath: absolutePath(of: plain.segments)),
           found == .directory || !plain.namesDirectory {
            let entry = try ScopeEntry(literalNames: plain.segments.map { $0.literalValue ?? $0.text },
                                       directory: found == .directory, raw: raw)
            return try literal(entry, raw: raw, escaped: true)
        }
        let path = try relativePath(raw, mode: .glob)
        var entry: ScopeEntry
        if raw.unicodeScalars.contains("{"), try BraceNormalization.isNeeded(raw, limit: Self.maximumExpansions) {
            entry = try normalizedAlternatives(raw)
        } else {
            entry = try ScopeEntry(segments: path.segments, directory: path.namesDirectory, raw: raw)
        }
        if entry.kind == .glob || entry.literalPath == nil {
            let resolved = try resolvingLinks(entry, raw: raw)
            if raw.unicodeScalars.contains("{"), CompiledEntry.witness(CompiledEntry(resolved.entry), CompiledEntry(resolved.entry)) == nil {
                throw .coversNothing(raw)
            }
            return resolved
        }
        return try literal(entry, raw: raw, escaped: false)
    }

    /// A literal entry (file, or directory with a literal path) with links resolved; a file entry naming an
    /// existing directory becomes a directory entry.
    private func literal(_ entry: ScopeEntry, raw: String, escaped: Bool) throws(ScopeError) -> NormalizedEntry {
        let names = entry.literalPath!.split(separator: "/").map(String.init)
        var result = entry
        var link: String?
        switch identity.resolve(names) {
        case .unchanged:
            break
        case .resolved(let real, let through):
            guard !real.isEmpty else { throw .namesRoot(raw) }
            result = try ScopeEntry(literalNames: real, directory: entry.kind == .directory, raw: raw)
            link = through
        case .leavesRoot(let at, let target):
            throw .linkLeavesRoot(raw, link: at, target: target)
        case .loop(let at):
            throw .linkLoop(raw, link: at)
        }
        if result.kind == .file, FileProbe.kind(atPath: absolutePath(ofText: result.literalPath!)) == .directory {
            result = try ScopeEntry(literalNames: result.literalPath!.split(separator: "/").map(String.init), directory: true, raw: raw)
        }
        return NormalizedEntry(entry: result, escapedLiteral: escaped, resolvedLink: link)
    }

    /// A pattern entry with the links on its literal leading segments resolved.
    private func resolvingLinks(_ entry: ScopeEntry, raw: String) throws(ScopeError) -> NormalizedEntry {
        let segments = entry.segments
        let leading = segments.prefix { $0.isLiteral }
        guard !leading.isEmpty else { return NormalizedEntry(entry: entry, escapedLiteral: false) }
        let names = leading.map { $0.literalValue! }
        switch identity.resolve(names) {
        case .unchanged:
            return NormalizedEntry(entry: entry, escapedLiteral: false)
        case .resolved(let real, let through):
            let rebuilt = real.map { name in
                GlobSegment(nodes: name.unicodeScalars.map { GlobNode.literal($0) }, text: ScopeEntry.escaped(name), position: 0)
            } + segments.dropFirst(leading.count)
            let resolved = try ScopeEntry(segments: rebuilt, directory: entry.kind == .directory, raw: raw)
            return NormalizedEntry(entry: resolved, escapedLiteral: false, resolvedLink: through)
        case .leavesRoot(let at, let target):
            throw .linkLeavesRoot(raw, link: at, target: target)
        case .loop(let at):
            throw .linkLoop(raw, link: at)
        }
    }

    /// An entry whose braces hold `/`, `.` or `..`: every expansion normalised on its own, then gathered
    /// again as one group after their common leading folders.
    private func normalizedAlternatives(_ raw: String) throws(ScopeError) -> ScopeEntry {
        guard let expansions = BraceExpansion.expand(raw, limit: Self.maximumExpansions) else {
            throw .tooManyAlternatives(raw, limit: Self.maximumExpansions)
        }
        var alternatives: [BraceNormalization.Alternative] = []
        for text in expansions where !text.isEmpty {
            let path: LexicalPath
            do {
                path = try relativePath(text, mode: .glob)
            } catch {
                if error.message.contains("outside the repository root") || error.message.contains("leads outside") {
                    throw .alternativeEscapesRoot(raw, alternative: text)
                }
                throw ScopeError(entry: raw, problem: "its alternative \(ScopeError.quoted(text)): " + error.message)
            }
            guard !path.segments.isEmpty else { continue }  // the root itself names no path
            alternatives.append(.init(segments: path.segments.map(\.text), directory: path.namesDirectory))
        }
        guard let text = BraceNormalization.join(alternatives) else { throw .coversNothing(raw) }
        return try ScopeEntry(parsingInFull: text.text, asDirectory: text.directory)
    }

    /// The lexically resolved segments of `raw`, relative to the root (a relative `raw` starts from `base`).
    private func relativePath(_ raw: String, mode: GlobParser.Mode) throws(ScopeError) -> LexicalPath {
        var parsed = try GlobParser.segments(of: raw, mode: mode)
        let isAbsolute = parsed.count > 1 && parsed[0].nodes.isEmpty
        if !isAbsolute, !baseSegments.isEmpty { parsed = baseSegments + parsed }
        var path = try LexicalPath(resolving: parsed, entry: raw)
        guard path.isAbsolute else { return path }
        if let rest = path.removingPrefix(rootSegments) {
            path.segments = rest
        } else if let resolved = resolvedRootSegments, let rest = path.removingPrefix(resolved) {
            path.segments = rest
        } else if let rest = throughLinks(path) {
            path.segments = rest
        } else {
            throw .outsideRoot(raw, root: root)
        }
        path.isAbsolute = false
        return path
    }

    /// An absolute path that reaches the root through a symbolic link outside it (`/home/me/link/src/x.go`
    /// where `link` leads to the root): its segments below the root, found by resolving the longest
    /// existing literal leading part.
    private func throughLinks(_ path: LexicalPath) -> [GlobSegment]? {
        let leading = path.segments.prefix { $0.isLiteral }
        let realRoot = resolvedRootSegments ?? rootSegments
        var count = leading.count
        while count > 0 {
            let prefix = "/" + leading.prefix(count).map { $0.literalValue! }.joined(separator: "/")
            if let real = FileProbe.realPath(prefix) {
                let realSegments = AbsolutePath.segments(of: real)
                guard realSegments.count >= realRoot.count, Array(realSegments.prefix(realRoot.count)) == realRoot else { return nil }
                let below = realSegments.dropFirst(realRoot.count).map { name in
                    GlobSegment(nodes: name.unicodeScalars.map { GlobNode.literal($0) }, text: ScopeEntry.escaped(name), position: 0)
                }
                return below + path.segments.dropFirst(count)
            }
            count -= 1
        }
        return nil
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
}
