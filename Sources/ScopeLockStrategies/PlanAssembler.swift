import ScopeLockProtocol

/// The last step every built-in strategy shares: order the planned agents into waves around the conflicts left
/// between them, explain each remaining conflict with a `sequence` action, and write the answer.
struct PlanAssembler: Sendable {
    let options: WaveOptions

    /// The resolved answer for `agents`.
    /// - Parameters:
    ///   - conflicts: every conflict left between the planned agents (positions in `agents`).
    ///   - actions: the strategy's own actions, which come first.
    ///   - sequenceReasons: why a pair stays in conflict, when the strategy knows better than "both cover W".
    func answer(
        for agents: [PlannedAgent], conflicts: ConflictGraph, actions: [PlanAction], sequenceReasons: [AgentPair: String] = [:]
    ) throws(StrategyDecline) -> ResolveAnswer {
        let scheduler = WaveScheduler(
            conflicts: conflicts.neighbours, dependencies: agents.map(\.dependencies), preferFirst: agents.map(\.held),
            maxWaveSize: options.maxParallel, names: agents.map(\.name)
        )
        let waves = try scheduler.waves()
        var waveOf = [Int](repeating: 0, count: agents.count)
        for (wave, members) in waves.enumerated() {
            for agent in members { waveOf[agent] = wave }
        }
        var allActions = actions
        for pair in conflicts.pairs {
            let laterFirst = waveOf[pair.second] < waveOf[pair.first]
            let (early, late) = laterFirst ? (pair.second, pair.first) : (pair.first, pair.second)
            let overlaps = (conflicts.overlaps[pair] ?? []).map { laterFirst ? $0.reversed : $0 }
            var entries: [String] = []
            for overlap in overlaps {
                for entry in overlap.entries where !entries.contains(entry) { entries.append(entry) }
            }
            let cause = sequenceReasons[pair]
                ?? "\(agents[early].name) and \(agents[late].name) both cover \(overlaps.first?.witness ?? "the same paths")"
            allActions.append(PlanAction(
                kind: .sequence, agents: [agents[early].name, agents[late].name], entries: entries,
                reason: "\(cause); \(agents[late].name) runs in wave \(waveOf[late] + 1), after \(agents[early].name) in wave \(waveOf[early] + 1)"
            ))
        }
        return .resolved(
            agents: agents.map(\.resolved),
            waves: waves.map { $0.map { agents[$0].name } },
            actions: allActions
        )
    }
}
