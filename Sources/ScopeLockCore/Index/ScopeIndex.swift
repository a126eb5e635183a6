/// Many compiled entries, each with a value, arranged in a trie by literal prefix so that a query meets
/// only the entries that could overlap it: those stored on its path from the root, and those below it.
/// An exact file or directory query costs O(depth + candidates); each candidate is then decided exactly, less
/// the excludes of its scope and of the query's (an exclude only narrows, so it never adds a candidate).
public struct ScopeIndex<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var children: [Substring: Int] = [:]
        var items: [Int] = []
    }

    private var nodes: [Node] = [Node()]
    private var items: [(entry: CompiledEntry, value: Value, excludes: ExcludeSet)] = []

    public init() {}

    /// The number of entries stored.
    public var count: Int { items.count }

    /// Stores `entry` with `value`; the entry covers nothing its scope's `excludes` cover.
    public mutating func insert(_ entry: CompiledEntry, value: Value, excludes: ExcludeSet = .none) {
        var node = 0
        for segment in LiteralPrefix.segments(of: entry.entry) {
            if let child = nodes[node].children[segment] {
                node = child
            } else {
                nodes.append(Node())
                nodes[node].children[segment] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        nodes[node].items.append(items.count)
        items.append((entry, value, excludes))
    }

    /// Every stored entry that overlaps `entry` (less `excludes`), with its value and a path both cover, in insertion order.
    public func overlaps(with entry: CompiledEntry, excluding excludes: ExcludeSet = .none) -> [(entry: CompiledEntry, value: Value, witness: String)] {
        decide(candidates(for: entry.entry), against: entry, excluding: excludes)
    }

    /// The same for an entry not compiled yet: it is compiled only when some stored entry could overlap it.
    public func overlaps(with entry: ScopeEntry, excluding excludes: ExcludeSet = .none) -> [(entry: CompiledEntry, value: Value, witness: String)] {
        let candidates = candidates(for: entry)
        return candidates.isEmpty ? [] : decide(candidates, against: CompiledEntry(entry), excluding: excludes)
    }

    private func decide(
        _ candidates: [Int], against entry: CompiledEntry, excluding excludes: ExcludeSet
    ) -> [(entry: CompiledEntry, value: Value, witness: String)] {
        candidates.compactMap { index in
            let item = items[index]
            return CompiledEntry.witness(item.entry, excluding: item.excludes, entry, excluding: excludes).map { (item.entry, item.value, $0) }
        }
    }

    /// The stored entries whose literal prefix lies on `entry`'s path from the root or below it, in insertion order.
    private func candidates(for entry: ScopeEntry) -> [Int] {
        var candidates: [Int] = nodes[0].items
        var node = 0
        let reachedEnd = LiteralPrefix.forEachSegment(of: entry) { segment in
            guard let child = nodes[node].children[segment] else { return false }
            node = child
            candidates += nodes[node].items
            return true
        }
        if reachedEnd {
            // Everything strictly below the query's prefix.
            var stack = Array(nodes[node].children.values)
            while let next = stack.popLast() {
                candidates += nodes[next].items
                stack += nodes[next].children.values
            }
        }
        return candidates.count > 1 ? candidates.sorted() : candidates
    }
}
