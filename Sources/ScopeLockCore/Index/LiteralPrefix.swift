/// The leading path segments of an entry that hold no pattern: every path the entry covers starts with them.
/// Two entries can overlap only if one's literal prefix is a segment-wise prefix of the other's.
enum LiteralPrefix {
    static func segments(of entry: ScopeEntry) -> [Substring] {
        // A segment with a pattern or an escape character ends the literal part (directories may hold
        // patterns too, `pkg/*/`); stopping early only widens the candidates, never loses one.
        let special: Set<Character> = ["*", "?", "[", "{", "\\"]
        return Array(entry.text.split(separator: "/", omittingEmptySubsequences: true).prefix { !$0.contains(where: special.contains) })
    }
}
