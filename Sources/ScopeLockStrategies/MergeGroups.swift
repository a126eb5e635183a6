/// Which requested agents become one agent under `merge`: each connected component of the conflict graph, among
/// agents that do not hold their locks, and then the groups that `depends_on` would tie into a cycle.
struct MergeGroups: Sendable {
    /// Each group's members (positions, ascending); groups ordered by their first member.
    let groups: [[Int]]
    /// For each agent, the first member of its connected component of the conflict graph.
    let component: [Int]

    /// Groups the agents joined by `conflicts`; `held` agents stay alone.
    init(conflicts: ConflictGraph, dependencies: [[Int]], held: [Bool]) {
        let count = held.count
        var leader = Array(0..<count)
        func find(_ agent: Int) -> Int {
            var root = agent
            while leader[root] != root { root = leader[root] }
            var agent = agent
            while leader[agent] != root {
                let parent = leader[agent]
                leader[agent] = root
                agent = parent
            }
            return root
        }
        func join(_ one: Int, _ other: Int) {
            let (a, b) = (find(one), find(other))
            if a != b { leader[max(a, b)] = min(a, b) }
        }
        for pair in conflicts.pairs where !held[pair.first] && !held[pair.second] { join(pair.first, pair.second) }
        component = (0..<count).map(find)

        // Merged groups may close a dependency cycle (a conflicts with c, b depends on a, c depends on b).
        // The groups on such a cycle become one, since their members can then run as one agent; when the cycle
        // runs through a held agent (which is never merged) or an agent already kept alone, the merged groups on
        // it are taken apart again instead, and their members stay separate, to be sequenced.
        var keptAlone = Set<Int>()
        while let cycle = Self.cycle(count: count, dependencies: dependencies, find: find) {
            let onCycle = Set(cycle)
            let members = (0..<count).filter { onCycle.contains(find($0)) }
            if members.contains(where: { held[$0] || keptAlone.contains($0) }) {
                var groupSize: [Int: Int] = [:]
                for member in members { groupSize[find(member), default: 0] += 1 }
                let merged = members.filter { groupSize[find($0)]! > 1 }
                // `depends_on` itself is acyclic, so a cycle always runs through a merged group.
                guard !merged.isEmpty else { break }
                for member in merged { leader[member] = member }
                keptAlone.formUnion(merged)
            } else {
                for other in cycle.dropFirst() { join(cycle[0], other) }
            }
        }

        var members: [Int: [Int]] = [:]
        for agent in 0..<count { members[find(agent), default: []].append(agent) }
        groups = members.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// True when group `members` holds agents of more than one conflict component, which only a dependency
    /// cycle brings together.
    func joinsComponents(_ members: [Int]) -> Bool {
        Set(members.map { component[$0] }).count > 1
    }

    /// The groups (by leader, ascending) on the first dependency cycle between groups, or nil when there is none:
    /// the strongly connected component of more than one group whose smallest leader is the smallest.
    private static func cycle(count: Int, dependencies: [[Int]], find: (Int) -> Int) -> [Int]? {
        var edges: [Int: Set<Int>] = [:]
        for agent in 0..<count {
            for dependency in dependencies[agent] where find(dependency) != find(agent) {
                edges[find(agent), default: []].insert(find(dependency))
            }
        }
        guard !edges.isEmpty else { return nil }
        let leaders = Set((0..<count).map(find)).sorted()
        return StronglyConnectedComponents(nodes: leaders, edges: edges.mapValues { $0.sorted() }).components
            .filter { $0.count > 1 }
            .map { $0.sorted() }
            .min { $0[0] < $1[0] }
    }
}
