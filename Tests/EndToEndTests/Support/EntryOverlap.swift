import ScopeLockCore

/// Whether two lists of entries overlap (some entry of one overlaps some entry of the other), as the engine
/// decides, each pair of entries decided once.
struct EntryOverlap {
    private var known: [String: Bool] = [:]

    mutating func any(_ left: [String], _ right: [String]) -> Bool {
        left.contains { a in right.contains { b in pair(a, b) } }
    }

    private mutating func pair(_ a: String, _ b: String) -> Bool {
        let key = a < b ? a + "\n" + b : b + "\n" + a
        if let answer = known[key] { return answer }
        // An entry that does not parse is taken as overlapping everything (the safe side).
        let answer = (try? ScopeEntry(parsing: a)).flatMap { left in
            (try? ScopeEntry(parsing: b)).map { left.overlapWitness(with: $0) != nil }
        } ?? true
        known[key] = answer
        return answer
    }
}
