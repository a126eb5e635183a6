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
            var agent = agent
            while leader[agent] != agent { agent = leader[agent] }
            return agent
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
            let members = (0..<count).filter { cycle.contains(find($0)) }
            if members.contains(where: { held[$0] || keptAlone.contains($0) }) {
                let merged = members.filter { member in members.contains { $0 != member && find($0) == find(member) } }
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

    /// The groups (by leader, ascending) on the first dependency cycle between groups, or nil when there is none.
    private static func cycle(count: Int, dependencies: [[Int]], find: (Int) -> Int) -> [Int]? {
        var edges: [Int: Set<Int>] = [:]
        for agent in 0..<count {
            for dependency in dependencies[agent] where find(dependency) != find(agent) {
                edges[find(agent), default: []].insert(find(dependency))
            }
        }
        func reachable(from start: Int) -> Set<Int> {
            var seen = Set<Int>()
            var stack = [start]
            while let next = stack.popLast() {
                for target in edges[next] ?? [] where seen.insert(target).inserted { stack.append(target) }
            }
            return seen
        }
        let leaders = Set((0..<count).map(find)).sorted()
        let reach = Dictionary(uniqueKeysWithValues: leaders.map { ($0, reachable(from: $0)) })
        for leader in leaders where reach[leader]!.contains(leader) {
            return leaders.filter { $0 == leader || (reach[leader]!.contains($0) && reach[$0]!.contains(leader)) }
        }
        return nil
    }
}
