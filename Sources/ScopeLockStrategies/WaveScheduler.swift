/// Orders agents into waves. Agents of one wave run in parallel, so they must not conflict; an agent runs in a
/// later wave than every agent it depends on; held agents go first where they can; a wave holds at most
/// `maxWaveSize` agents.
///
/// It colours the conflict graph with DSatur (next: a held agent, then the agent whose conflicts already use the
/// most waves, then the one with the most conflicts still unplaced, then the earliest in manifest order), taking
/// only agents whose dependencies are placed and giving each the first wave after its dependencies that none of
/// its conflicts use. A bounded exact search (`WaveSearch`) then looks for a colouring with fewer waves. The
/// result is deterministic.
struct WaveScheduler: Sendable {
    /// For each agent, the agents it conflicts with.
    let conflicts: [Set<Int>]
    /// For each agent, the agents it depends on.
    let dependencies: [[Int]]
    /// For each agent, true when it should go in the first wave (it already holds its lock).
    let preferFirst: [Bool]
    /// The most agents one wave may hold; nil for no cap.
    let maxWaveSize: Int?
    /// The agents' names, for messages.
    let names: [String]

    /// The waves, each listing agent positions in ascending order; every agent is in exactly one.
    func waves() throws(StrategyDecline) -> [[Int]] {
        var colours = try dsatur()
        let used = (colours.max() ?? -1) + 1
        if let better = WaveSearch(scheduler: self).colouring(fewerThan: used) { colours = better }
        return ordered(colours)
    }

    /// True when agent `agent` may take wave `wave`, given the waves of the agents placed so far.
    func fits(_ agent: Int, in wave: Int, colours: [Int?], sizes: [Int]) -> Bool {
        if let cap = maxWaveSize, wave < sizes.count, sizes[wave] >= cap { return false }
        return !conflicts[agent].contains { colours[$0] == wave }
    }

    /// The first wave agent `agent` may take: after each of its dependencies.
    func earliestWave(_ agent: Int, colours: [Int?]) -> Int {
        dependencies[agent].map { (colours[$0] ?? 0) + 1 }.max() ?? 0
    }

    /// DSatur, restricted to agents whose dependencies are placed. The agents ready to place wait in a heap by
    /// DSatur's order; an agent is queued again whenever its key changes, and outdated entries are skipped.
    private func dsatur() throws(StrategyDecline) -> [Int] {
        let count = conflicts.count
        var colours = [Int?](repeating: nil, count: count)
        var sizes: [Int] = []
        var neighbourColours = Array(repeating: Set<Int>(), count: count)
        var unplaced = conflicts.map(\.count)
        var waitingFor = dependencies.map(\.count)
        var dependents = Array(repeating: [Int](), count: count)
        for (agent, targets) in dependencies.enumerated() {
            for target in targets { dependents[target].append(agent) }
        }
        func candidate(_ agent: Int) -> Candidate {
            Candidate(
                agent: agent, held: preferFirst[agent], saturation: neighbourColours[agent].count, unplaced: unplaced[agent]
            )
        }
        var ready = MinimumHeap<Candidate>()
        for agent in 0..<count where waitingFor[agent] == 0 { ready.insert(candidate(agent)) }

        var placed = 0
        while let next = ready.popMinimum() {
            let agent = next.agent
            guard colours[agent] == nil, next == candidate(agent) else { continue }
            var wave = earliestWave(agent, colours: colours)
            while !fits(agent, in: wave, colours: colours, sizes: sizes) { wave += 1 }
            colours[agent] = wave
            placed += 1
            while sizes.count <= wave { sizes.append(0) }
            sizes[wave] += 1
            for neighbour in conflicts[agent] where colours[neighbour] == nil {
                neighbourColours[neighbour].insert(wave)
                unplaced[neighbour] -= 1
                if waitingFor[neighbour] == 0 { ready.insert(candidate(neighbour)) }
            }
            for dependent in dependents[agent] {
                waitingFor[dependent] -= 1
                if waitingFor[dependent] == 0, colours[dependent] == nil { ready.insert(candidate(dependent)) }
            }
        }
        guard placed == count else {
            throw .dependencyCycle((0..<count).filter { colours[$0] == nil }.map { names[$0] })
        }
        return colours.map { $0 ?? 0 }
    }

    /// An agent waiting to be placed, ordered as DSatur takes them: a held agent first, then the most waves used by
    /// its conflicts, then the most conflicts still unplaced, then the earliest in manifest order.
    private struct Candidate: Comparable, Sendable {
        let agent: Int
        let held: Bool
        let saturation: Int
        let unplaced: Int

        static func < (left: Candidate, right: Candidate) -> Bool {
            (left.held ? 0 : 1, -left.saturation, -left.unplaced, left.agent)
                < (right.held ? 0 : 1, -right.saturation, -right.unplaced, right.agent)
        }
    }

    /// The colour classes as waves, in an order the dependencies allow: among the classes that may come next,
    /// one holding a held agent first, then the one holding the earliest agent in manifest order.
    private func ordered(_ colours: [Int]) -> [[Int]] {
        var classes: [Int: [Int]] = [:]
        for (agent, colour) in colours.enumerated() { classes[colour, default: []].append(agent) }
        var remaining = classes.values.map { $0.sorted() }
        var placed = Set<Int>()
        var waves: [[Int]] = []
        while !remaining.isEmpty {
            let ready = remaining.indices.filter { index in
                let members = Set(remaining[index])
                return remaining[index].allSatisfy { agent in
                    dependencies[agent].allSatisfy { placed.contains($0) || members.contains($0) }
                }
            }
            // The colouring puts each dependency in an earlier class, so some class is always ready.
            let next = ready.min { left, right in
                let leftKey = (remaining[left].contains { preferFirst[$0] } ? 0 : 1, remaining[left][0])
                let rightKey = (remaining[right].contains { preferFirst[$0] } ? 0 : 1, remaining[right][0])
                return leftKey < rightKey
            } ?? remaining.indices[0]
            waves.append(remaining[next])
            placed.formUnion(remaining[next])
            remaining.remove(at: next)
        }
        return waves
    }
}
