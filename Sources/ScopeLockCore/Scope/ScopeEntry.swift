/// One element of a scope, already normalised: an exact file, a directory, or a glob.
///
/// Two entries are equal when their kinds are equal and their texts are identical scalar for
/// scalar (paths are compared as written, without Unicode normalisation).
public struct ScopeEntry: Hashable, Sendable, CustomStringConvertible {
    /// What an entry names.
    public enum Kind: String, Sendable, Codable {
        /// One exact path.
        case file
        /// Everything strictly beneath a path (`d/` is the same as `d/**`).
        case directory
        /// The paths matched by a pattern with `*`, `?`, `[...]` or `{...}`.
        case glob
    }

    /// What the entry names.
    public let kind: Kind
    /// Normalised text as written in a lock file. Directory entries end with "/".
    public let text: String
    /// The parsed segments; nil for a plain literal entry (no metacharacter, already normal), whose
    /// segments are its text's and are built only when asked for.
    private let parsedSegments: [GlobSegment]?

    /// The parsed segments of `text`, without the trailing `/` of a directory.
    var segments: [GlobSegment] {
        if let parsedSegments { return parsedSegments }
        var position = 0
        return literalPath!.split(separator: "/").map { name in
            defer { position += name.unicodeScalars.count + 1 }
            return GlobSegment(nodes: name.unicodeScalars.map { GlobNode.literal($0) }, text: String(name), position: position)
        }
    }

    /// The text.
    public var description: String { text }

    /// Lexical parse of an entry as found in a lock record or a manifest (no filesystem access):
    /// strips a leading `./`, collapses `//` and `/./`, resolves `..` lexically (climbing above the
    /// root is an error), and validates glob syntax. A trailing `/` makes a directory entry, and so
    /// does `asDirectory` (for a record's `directories` array). Absolute paths are rejected.
    public init(parsing raw: String, asDirectory: Bool = false) throws(ScopeError) {
        if let plain = Self.plainLiteral(raw, asDirectory: asDirectory) {
            self = plain
        } else {
            try self.init(parsingInFull: raw, asDirectory: asDirectory)
        }
    }

    /// The full parse behind `init(parsing:asDirectory:)`, for any entry.
    init(parsingInFull raw: String, asDirectory: Bool) throws(ScopeError) {
        let parsed = try GlobParser.segments(of: raw, mode: .glob)
        if raw == "/" { throw .loneSlash(raw) }
        let path = try LexicalPath(resolving: parsed, entry: raw)
        if path.isAbsolute { throw .absolutePath(raw) }
        try self.init(segments: path.segments, directory: asDirectory || path.namesDirectory, raw: raw)
    }

    /// An entry from resolved segments; `raw` is the entry as given, for errors.
    init(segments: [GlobSegment], directory: Bool, raw: String) throws(ScopeError) {
        guard !segments.isEmpty else { throw .namesRoot(raw) }
        let text = segments.map(\.text).joined(separator: "/") + (directory ? "/" : "")
        if text.utf8.count > ScopeLimits.maximumEntryBytes { throw .tooLongWhenWritten(raw, bytes: text.utf8.count) }
        if directory {
            kind = .directory
        } else {
            kind = segments.allSatisfy(\.isLiteral) ? .file : .glob
        }
        self.text = text
        self.parsedSegments = segments
    }

    private init(plainText text: String, kind: Kind) {
        self.kind = kind
        self.text = text
        self.parsedSegments = nil
    }

    /// The entry `raw` names when it is already normal and holds no metacharacter, found in one pass
    /// over its bytes (the common case in lock records); nil when it needs the full parse.
    static func plainLiteral(_ raw: String, asDirectory: Bool) -> ScopeEntry? {
        var segmentLength = 0
        var segmentDots = 0
        var count = 0
        for byte in raw.utf8 {
            count += 1
            switch byte {
            case 0, 0x0A, 0x0D, UInt8(ascii: "\\"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "{"):
                return nil
            case UInt8(ascii: "/"):
                // No empty (leading `/`, `//`), `.` or `..` segment.
                guard segmentLength > 0, segmentDots != segmentLength || segmentLength > 2 else { return nil }
                segmentLength = 0
                segmentDots = 0
            case UInt8(ascii: "."):
                segmentLength += 1
                segmentDots += 1
            default:
                segmentLength += 1
            }
        }
        guard count > 0, count <= ScopeLimits.maximumEntryBytes else { return nil }
        let endsWithSlash = segmentLength == 0
        if !endsWithSlash, segmentDots == segmentLength, segmentLength <= 2 { return nil }
        if endsWithSlash || asDirectory {
            guard endsWithSlash || count < ScopeLimits.maximumEntryBytes else { return nil }
            return ScopeEntry(plainText: endsWithSlash ? raw : raw + "/", kind: .directory)
        }
        return ScopeEntry(plainText: raw, kind: .file)
    }

    /// The path named by a file entry, or the directory path (without `/`) of a directory entry
    /// whose segments are all literal; nil for globs and glob-prefixed directories.
    var literalPath: String? {
        if parsedSegments == nil { return kind == .directory ? String(text.dropLast()) : text }
        var values: [String] = []
        for segment in segments {
            guard let value = segment.literalValue else { return nil }
            values.append(value)
        }
        return values.joined(separator: "/")
    }

    /// Kind and text, compared scalar for scalar.
    public static func == (lhs: ScopeEntry, rhs: ScopeEntry) -> Bool {
        lhs.kind == rhs.kind && lhs.text.unicodeScalars.elementsEqual(rhs.text.unicodeScalars)
    }

    /// Hashes kind and the text's scalars.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        for scalar in text.unicodeScalars { hasher.combine(scalar.value) }
    }
}
