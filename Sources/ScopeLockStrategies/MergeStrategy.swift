import ScopeLockPluginKit
import ScopeLockProtocol

/// `merge`: agents whose scopes overlap, directly or through others, become one agent.
///
/// Each connected component of the conflict graph with two or more agents (held agents excepted: they keep their
/// scopes and stay alone) becomes one agent named after its first member in manifest order, with `merged_from`
/// listing every member in manifest order, the union of their entries (each once, sorted), and their tasks joined
/// with "; ". `depends_on` inside a group vanishes; dependencies on other agents are kept for the wave order. Groups
/// that `depends_on` would tie into a cycle are merged too, unless the cycle runs through a held agent: then those
/// groups are not merged at all. Each merged group gets a `merge` action; the conflicts left (with held agents,
/// or inside groups that could not be merged) are sequenced as by `sequential`.
public struct MergeStrategy: BuiltInStrategy {
    /// The strategy; it has no settings of its own (options come with each request).
    public init() {}

    /// What `describe` answers: name, version and the rule in one line.
    public var description: StrategyDescription {
        StrategyDescription(
            name: "merge", version: BuiltInStrategies.version,
            description: "Merges each group of overlapping agents into one agent that does all their tasks."
        )
    }

    func plan(_ input: StrategyInput) throws(StrategyDecline) -> ResolveAnswer {
        let conflicts = input.reportedConflicts
        let merging = MergeGroups(
            conflicts: conflicts, dependencies: input.dependencies, held: input.agents.map(\.held)
        )
        var planPosition = [Int](repeating: 0, count: input.agents.count)
        for (position, members) in merging.groups.enumerated() {
            for member in members { planPosition[member] = position }
        }
        // The first conflict (in pair order) inside each planned agent, for the reasons.
        var firstConflictInside: [Int: AgentPair] = [:]
        for pair in conflicts.pairs where planPosition[pair.first] == planPosition[pair.second] {
            if firstConflictInside[planPosition[pair.first]] == nil { firstConflictInside[planPosition[pair.first]] = pair }
        }

        var agents: [PlannedAgent] = []
        var actions: [PlanAction] = []
        for (position, members) in merging.groups.enumerated() {
            let first = members[0]
            let dependencies = Set(members.flatMap { input.dependencies[$0] }.map { planPosition[$0] })
                .subtracting([position]).sorted()
            guard members.count > 1 else {
                agents.append(PlannedAgent(
                    name: input.names[first], scope: input.scopes[first], task: input.agents[first].task,
                    dependencies: dependencies, held: input.agents[first].held
                ))
                continue
            }
            let names = members.map { input.names[$0] }
            let tasks = members.compactMap { input.agents[$0].task }.filter { !$0.isEmpty }
            let scope = ParsedScope.union(members.map { input.scopes[$0] })
            agents.append(PlannedAgent(
                name: names[0], scope: scope, mergedFrom: names,
                task: tasks.isEmpty ? nil : tasks.joined(separator: "; "),
                dependencies: dependencies, held: false
            ))
            actions.append(PlanAction(
                kind: .merge, agents: names, entries: scope.entries.map(\.text),
                reason: mergeReason(
                    members, names: names, firstConflict: firstConflictInside[position], conflicts: conflicts, merging: merging
                )
            ))
        }

        // A merged agent's scope is the union of its members' scopes, so it conflicts exactly where a member did.
        let remaining = conflicts.mapped(size: agents.count) { planPosition[$0] }
        return try PlanAssembler(options: input.options).answer(for: agents, conflicts: remaining, actions: actions)
    }

    /// Why `members` became one agent: a witness of `firstConflict` (their first conflict), and the dependency cycle
    /// if there was one.
    private func mergeReason(
        _ members: [Int], names: [String], firstConflict: AgentPair?, conflicts: ConflictGraph, merging: MergeGroups
    ) -> String {
        var reason = "\(names.joined(separator: ", ")) become one agent, \(names[0])"
        if let pair = firstConflict, let witness = conflicts.overlaps[pair]?.first?.witness {
            reason += ": their scopes overlap (\(names[members.firstIndex(of: pair.first)!]) and "
                + "\(names[members.firstIndex(of: pair.second)!]) both cover \(witness))"
        }
        if merging.joinsComponents(members) {
            reason += "; depends_on between them would otherwise form a cycle"
        }
        return reason
    }
}
