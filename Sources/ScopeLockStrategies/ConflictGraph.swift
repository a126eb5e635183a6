import ScopeLockProtocol

/// Which agents conflict, with the overlapping entries of each conflict. Agents are positions (manifest order);
/// each pair's overlaps list the earlier agent's entry first.
///
/// The graph starts from the conflicts the host reported, which it finds exactly (interface.md section 7), and is
/// never built by comparing every pair of scopes: a strategy that narrows scopes decides again only the reported
/// pairs that involve a narrowed agent (`narrowed(_:scopes:)`), since a scope that only shrank can meet no agent
/// it did not meet before.
struct ConflictGraph: Sendable {
    /// How many agents the graph has.
    let size: Int
    /// The overlaps of each conflicting pair.
    private(set) var overlaps: [AgentPair: [EntryOverlap]] = [:]

    /// A graph of `size` agents and no conflicts.
    init(size: Int) {
        self.size = size
    }

    /// The conflicts the host reported in `request.conflicts`.
    init(reported conflicts: [AgentConflict], positions: [String: Int], size: Int) throws(StrategyDecline) {
        self.init(size: size)
        for conflict in conflicts {
            guard conflict.agents.count == 2 else {
                throw .badRequest("a conflict names \(conflict.agents.count) agents, not 2")
            }
            guard let one = positions[conflict.agents[0]], let other = positions[conflict.agents[1]] else {
                throw .badRequest("a conflict names an agent that is not in the request: \(conflict.agents.joined(separator: ", "))")
            }
            insert(one, other, conflict.overlaps)
        }
    }

    /// Records that agents `one` and `other` conflict; `overlaps` list `one`'s entry first.
    /// A pair already known keeps its overlaps.
    mutating func insert(_ one: Int, _ other: Int, _ overlaps: [EntryOverlap]) {
        guard one != other else { return }
        let pair = AgentPair(one, other)
        guard self.overlaps[pair] == nil else { return }
        self.overlaps[pair] = one < other ? overlaps : overlaps.map(\.reversed)
    }

    /// The graph after the agents in `narrowed` had their scopes narrowed to `scopes` (by position): each pair
    /// involving one of them is decided again by the scope engine and dropped when nothing overlaps any more; the
    /// other pairs keep their overlaps. Every new scope must cover no more than the agent's scope did in this graph.
    func narrowed(_ narrowed: Set<Int>, scopes: [ParsedScope]) -> ConflictGraph {
        guard !narrowed.isEmpty else { return self }
        var result = ConflictGraph(size: size)
        for (pair, found) in overlaps {
            if narrowed.contains(pair.first) || narrowed.contains(pair.second) {
                let again = scopes[pair.first].overlaps(with: scopes[pair.second])
                if !again.isEmpty { result.insert(pair.first, pair.second, again) }
            } else {
                result.insert(pair.first, pair.second, found)
            }
        }
        return result
    }

    /// The graph seen through `position`, which maps each agent to its place in a plan of `size` agents;
    /// conflicts inside one planned agent vanish.
    func mapped(size: Int, _ position: (Int) -> Int) -> ConflictGraph {
        var mapped = ConflictGraph(size: size)
        for pair in pairs {
            mapped.insert(position(pair.first), position(pair.second), overlaps[pair] ?? [])
        }
        return mapped
    }

    /// Every conflicting pair, sorted.
    var pairs: [AgentPair] { overlaps.keys.sorted() }

    /// For each agent, the agents it conflicts with.
    var neighbours: [Set<Int>] {
        var neighbours = Array(repeating: Set<Int>(), count: size)
        for pair in overlaps.keys {
            neighbours[pair.first].insert(pair.second)
            neighbours[pair.second].insert(pair.first)
        }
        return neighbours
    }
}

extension EntryOverlap {
    /// The same overlap seen from the other agent.
    var reversed: EntryOverlap { EntryOverlap(entries: entries.reversed(), witness: witness) }
}
