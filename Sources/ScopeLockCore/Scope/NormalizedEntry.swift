/// The result of normalising one entry against a repository root.
public struct NormalizedEntry: Sendable, Equatable {
    /// The normalised entry.
    public let entry: ScopeEntry
    /// True when the entry named an existing file or directory whose name holds glob
    /// metacharacters, and was recorded as that literal path, escaped; the caller should warn.
    public let escapedLiteral: Bool
    /// The symbolic link inside the root (relative to the root) that the entry's literal leading part passed
    /// through and was resolved by; the caller should warn (`resolved_symlink`).
    public let resolvedLink: String?

    /// A normalised entry.
    public init(entry: ScopeEntry, escapedLiteral: Bool, resolvedLink: String? = nil) {
        self.entry = entry
        self.escapedLiteral = escapedLiteral
        self.resolvedLink = resolvedLink
    }
}
