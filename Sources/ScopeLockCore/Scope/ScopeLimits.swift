/// Bounds on a single entry that keep parsing, memory and recursion bounded.
public enum ScopeLimits {
    /// The longest entry accepted, in UTF-8 bytes.
    public static let maximumEntryBytes = 4096
    /// The deepest nesting of `{...}` groups accepted.
    public static let maximumBraceDepth = 64
    /// The most `{...}` groups accepted in one entry: each optional group multiplies the overlap search,
    /// which grows as the fourth power of long runs like `{,a}{,a}...`.
    public static let maximumBraceGroups = 64
}
