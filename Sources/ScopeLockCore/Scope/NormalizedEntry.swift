/// The result of normalising one entry against a repository root.
public struct NormalizedEntry: Sendable, Equatable {
    /// The normalised entry.
    public let entry: ScopeEntry
    /// True when the entry named an existing file or directory whose name holds glob
    /// metacharacters, and was recorded as that literal path, escaped; the caller should warn.
    public let escapedLiteral: Bool

    /// A normalised entry.
    public init(entry: ScopeEntry, escapedLiteral: Bool) {
        self.entry = entry
        self.escapedLiteral = escapedLiteral
    }
}
