/// The leading path segments of an entry that hold no pattern: every path the entry covers starts with them.
/// Two entries can overlap only if one's literal prefix is a segment-wise prefix of the other's.
enum LiteralPrefix {
    static func segments(of entry: ScopeEntry) -> [Substring] {
        let parts = entry.text.split(separator: "/", omittingEmptySubsequences: true)
        switch entry.kind {
        case .directory:
            return parts
        case .file, .glob:
            // A segment with a pattern or an escape character ends the literal part (escapes are rare; stopping
            // early only widens the candidates, never loses one).
            let special: Set<Character> = ["*", "?", "[", "{", "\\"]
            return Array(parts.prefix { !$0.contains(where: special.contains) })
        }
    }
}
