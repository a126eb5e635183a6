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

extension ScopeLimits {
    /// The most determinised states one scope's excludes may take. Subset construction can grow
    /// exponentially (`*a??????????` needs 2^11 states), and the overlap search carries one such state per
    /// side; a scope whose excludes need more is refused as too complex.
    public static let maximumExcludeStates = 1024
    /// The most product states an overlap search with excludes visits before it stops and answers on the
    /// safe side (the pair overlaps, with the entries' own witness). Far above anything the limits above
    /// produce in practice; it bounds the worst case.
    public static let maximumExcludeSearchStates = 1 << 18
    /// The most steps (one entry transition pair and one class of their common scalars) an overlap search
    /// with excludes takes before it stops and answers on the safe side, as above: it bounds the time of
    /// entries whose automata fan out widely (`{,a}{,a}...`), where few states cost many steps each.
    public static let maximumExcludeSearchSteps = 1 << 23
}
