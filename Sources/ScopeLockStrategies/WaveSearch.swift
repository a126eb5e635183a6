/// A bounded exact search for a wave colouring with fewer waves than DSatur found, under the same rules
/// (no conflict inside a wave, dependencies in earlier waves, the wave size cap). Held agents without
/// dependencies may only take the first wave. The search stops after a fixed number of steps, so it is
/// deterministic and cheap; on larger graphs it may find nothing, and DSatur's answer stands.
struct WaveSearch: Sendable {
    let scheduler: WaveScheduler
    /// The most placements tried in one call.
    var budget = 200_000

    /// A colouring using fewer than `limit` waves, as few as found within the budget; nil when none is found.
    func colouring(fewerThan limit: Int) -> [Int]? {
        let count = scheduler.conflicts.count
        guard count > 0, let order = placementOrder() else { return nil }
        let floor = longestDependencyChain(order)
        var best: [Int]?
        var steps = 0
        var waves = limit - 1
        while waves >= floor {
            var colours = [Int?](repeating: nil, count: count)
            var sizes = [Int](repeating: 0, count: waves)
            guard place(0, order: order, waves: waves, colours: &colours, sizes: &sizes, steps: &steps) else { break }
            let found = colours.map { $0 ?? 0 }
            best = found
            waves = (found.max() ?? 0)
        }
        return best
    }

    /// Tries to place `order[index...]` in `waves` waves.
    private func place(_ index: Int, order: [Int], waves: Int, colours: inout [Int?], sizes: inout [Int], steps: inout Int) -> Bool {
        guard index < order.count else { return true }
        let agent = order[index]
        let lowest = scheduler.earliestWave(agent, colours: colours)
        let highest = scheduler.preferFirst[agent] && scheduler.dependencies[agent].isEmpty ? min(1, waves) : waves
        var wave = lowest
        while wave < highest {
            steps += 1
            if steps > budget { return false }
            if scheduler.fits(agent, in: wave, colours: colours, sizes: sizes) {
                colours[agent] = wave
                sizes[wave] += 1
                if place(index + 1, order: order, waves: waves, colours: &colours, sizes: &sizes, steps: &steps) { return true }
                colours[agent] = nil
                sizes[wave] -= 1
                if steps > budget { return false }
            }
            wave += 1
        }
        return false
    }

    /// Agents with every dependency before them: held agents and then manifest order where free;
    /// nil when the dependencies form a cycle.
    private func placementOrder() -> [Int]? {
        let count = scheduler.conflicts.count
        var waitingFor = scheduler.dependencies.map(\.count)
        var dependents = Array(repeating: [Int](), count: count)
        for (agent, targets) in scheduler.dependencies.enumerated() {
            for target in targets { dependents[target].append(agent) }
        }
        func key(_ agent: Int) -> ReadyAgent { ReadyAgent(held: scheduler.preferFirst[agent], agent: agent) }
        var ready = MinimumHeap<ReadyAgent>()
        for agent in 0..<count where waitingFor[agent] == 0 { ready.insert(key(agent)) }
        var order: [Int] = []
        while let next = ready.popMinimum() {
            order.append(next.agent)
            for dependent in dependents[next.agent] {
                waitingFor[dependent] -= 1
                if waitingFor[dependent] == 0 { ready.insert(key(dependent)) }
            }
        }
        return order.count == count ? order : nil
    }

    /// An agent whose dependencies are placed: held agents first, then manifest order.
    private struct ReadyAgent: Comparable, Sendable {
        let held: Bool
        let agent: Int

        static func < (left: ReadyAgent, right: ReadyAgent) -> Bool {
            (left.held ? 0 : 1, left.agent) < (right.held ? 0 : 1, right.agent)
        }
    }

    /// The most waves any chain of dependencies needs: no colouring can use fewer.
    private func longestDependencyChain(_ order: [Int]) -> Int {
        var depth = [Int](repeating: 1, count: scheduler.conflicts.count)
        for agent in order {
            depth[agent] = (scheduler.dependencies[agent].map { depth[$0] + 1 }.max() ?? 1)
        }
        return depth.max() ?? 1
    }
}
