import ScopeLockProtocol

/// Which agents conflict, with the overlapping entries of each conflict. Agents are positions (manifest order);
/// each pair's overlaps list the earlier agent's entry first.
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

    /// The conflicts the scope engine finds between `scopes`, by exact overlap.
    init(scopes: [ParsedScope]) {
        self.init(size: scopes.count)
        for one in scopes.indices {
            for other in scopes.indices where other > one {
                let found = scopes[one].overlaps(with: scopes[other])
                if !found.isEmpty { insert(one, other, found) }
            }
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

    /// This graph plus the conflicts of `other` it does not know yet.
    func merging(_ other: ConflictGraph) -> ConflictGraph {
        var merged = self
        for (pair, found) in other.overlaps { merged.insert(pair.first, pair.second, found) }
        return merged
    }

    /// The graph seen through `position`, which maps each agent to its place in a plan of `size` agents
    /// (nil drops it); conflicts inside one planned agent vanish.
    func mapped(size: Int, _ position: (Int) -> Int?) -> ConflictGraph {
        var mapped = ConflictGraph(size: size)
        for pair in pairs {
            guard let one = position(pair.first), let other = position(pair.second) else { continue }
            mapped.insert(one, other, overlaps[pair] ?? [])
        }
        return mapped
    }

    /// Every conflicting pair, sorted.
    var pairs: [AgentPair] { overlaps.keys.sorted() }

    /// True when agents `one` and `other` conflict.
    func conflict(_ one: Int, _ other: Int) -> Bool { overlaps[AgentPair(one, other)] != nil }

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
