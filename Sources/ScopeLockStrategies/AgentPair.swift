/// Two agents by position, the earlier first: the key of a conflict.
struct AgentPair: Hashable, Comparable, Sendable {
    let first: Int
    let second: Int

    /// The pair of `one` and `other`, in either order.
    init(_ one: Int, _ other: Int) {
        first = min(one, other)
        second = max(one, other)
    }

    static func < (left: AgentPair, right: AgentPair) -> Bool {
        (left.first, left.second) < (right.first, right.second)
    }
}
