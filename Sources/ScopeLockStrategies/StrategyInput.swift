import ScopeLockProtocol

/// A resolve request checked and parsed: agents by position (manifest order), scopes compiled,
/// dependencies as positions, the host's conflicts as a graph.
struct StrategyInput: Sendable {
    /// The requested agents, in manifest order.
    let agents: [AgentScope]
    /// Each agent's parsed scope.
    let scopes: [ParsedScope]
    /// Each agent's position by name.
    let positions: [String: Int]
    /// For each agent, the positions of the requested agents it depends on (unknown names are ignored,
    /// since `depends_on` may name agents that take no lock).
    let dependencies: [[Int]]
    /// The conflicts the host reported.
    let reportedConflicts: ConflictGraph
    /// For each agent, the agents the host reports it conflicts with, ascending: the only agents whose scopes can
    /// overlap its own.
    let conflictingAgents: [[Int]]
    /// The agents' names, in manifest order.
    let names: [String]
    /// Repository files under the conflicting scopes, sorted.
    let tree: [String]
    let options: WaveOptions

    /// Checks and parses `request`.
    init(_ request: ResolveRequest) throws(StrategyDecline) {
        // Only agents in a reported conflict are ever matched against other entries: the others' entries are
        // parsed (a bad one is declined) but not compiled.
        let contested = Set(request.conflicts.flatMap(\.agents))
        var positions: [String: Int] = [:]
        var scopes: [ParsedScope] = []
        for (position, agent) in request.agents.enumerated() {
            guard positions[agent.name] == nil else {
                throw .badRequest("agent \(agent.name) appears twice in the request")
            }
            positions[agent.name] = position
            var scope = try ParsedScope(
                files: agent.files, directories: agent.directories, compiling: contested.contains(agent.name)
            )
            if let excludes = agent.excludes, !excludes.isEmpty { try scope.setExcludes(excludes) }
            scopes.append(scope)
        }
        agents = request.agents
        names = request.agents.map(\.name)
        self.scopes = scopes
        self.positions = positions
        dependencies = request.agents.enumerated().map { position, agent in
            Set(agent.dependsOn.compactMap { positions[$0] }).subtracting([position]).sorted()
        }
        try Self.checkAcyclic(dependencies, names: names)
        reportedConflicts = try ConflictGraph(reported: request.conflicts, positions: positions, size: request.agents.count)
        conflictingAgents = reportedConflicts.neighbours.map { $0.sorted() }
        tree = request.tree.sorted()
        options = try WaveOptions(request.options)
    }

    /// Declines when `depends_on` forms a cycle, naming the agents that can never start (those on a cycle or
    /// after one), in manifest order.
    private static func checkAcyclic(_ dependencies: [[Int]], names: [String]) throws(StrategyDecline) {
        var waitingFor = dependencies.map(\.count)
        var dependents = Array(repeating: [Int](), count: dependencies.count)
        for (agent, targets) in dependencies.enumerated() {
            for target in targets { dependents[target].append(agent) }
        }
        var ready = dependencies.indices.filter { waitingFor[$0] == 0 }
        var started = 0
        while let agent = ready.popLast() {
            started += 1
            for dependent in dependents[agent] {
                waitingFor[dependent] -= 1
                if waitingFor[dependent] == 0 { ready.append(dependent) }
            }
        }
        guard started < dependencies.count else { return }
        throw .dependencyCycle(dependencies.indices.filter { waitingFor[$0] > 0 }.map { names[$0] })
    }

    /// The agents exactly as requested, ready to plan.
    var unchangedAgents: [PlannedAgent] {
        agents.indices.map { position in
            PlannedAgent(
                name: agents[position].name, scope: scopes[position], task: agents[position].task,
                dependencies: dependencies[position], held: agents[position].held
            )
        }
    }
}
