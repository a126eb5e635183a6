/// The leading path segments of an entry that hold no pattern: every path the entry covers starts with them.
/// Two entries can overlap only if one's literal prefix is a segment-wise prefix of the other's.
enum LiteralPrefix {
    static func segments(of entry: ScopeEntry) -> [Substring] {
        var result: [Substring] = []
        forEachSegment(of: entry) { result.append($0); return true }
        return result
    }

    /// The first literal segment of each entry, or nil when some entry's first segment holds a pattern.
    /// Two sets of entries whose sets are disjoint cannot overlap.
    static func firstSegments(of entries: [ScopeEntry]) -> Set<Substring>? {
        var result = Set<Substring>()
        for entry in entries {
            var first: Substring?
            forEachSegment(of: entry) { first = $0; return false }
            guard let first else { return nil }
            result.insert(first)
        }
        return result
    }

    /// Calls `body` with each segment of the literal prefix in order, without building an array, until it
    /// returns false; false when it was stopped.
    @discardableResult
    static func forEachSegment(of entry: ScopeEntry, _ body: (Substring) -> Bool) -> Bool {
        // A segment with a pattern or an escape character ends the literal part (directories may hold
        // patterns too, `pkg/*/`); stopping early only widens the candidates, never loses one.
        let text = entry.text
        var start = text.utf8.startIndex
        var index = start
        var special = false
        while index < text.utf8.endIndex {
            switch text.utf8[index] {
            case UInt8(ascii: "/"):
                if special { return true }
                if index > start, !body(text[start..<index]) { return false }
                start = text.utf8.index(after: index)
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "\\"):
                special = true
            default:
                break
            }
            index = text.utf8.index(after: index)
        }
        if !special, index > start { return body(text[start..<index]) }
        return true
    }
}
