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
    /// Repository files under the conflicting scopes, sorted.
    let tree: [String]
    let options: WaveOptions

    /// Checks and parses `request`.
    init(_ request: ResolveRequest) throws(StrategyDecline) {
        var positions: [String: Int] = [:]
        var scopes: [ParsedScope] = []
        for (position, agent) in request.agents.enumerated() {
            guard positions[agent.name] == nil else {
                throw .badRequest("agent \(agent.name) appears twice in the request")
            }
            positions[agent.name] = position
            scopes.append(try ParsedScope(files: agent.files, directories: agent.directories))
        }
        agents = request.agents
        self.scopes = scopes
        self.positions = positions
        dependencies = request.agents.enumerated().map { position, agent in
            Set(agent.dependsOn.compactMap { positions[$0] }).subtracting([position]).sorted()
        }
        try Self.checkAcyclic(dependencies, names: request.agents.map(\.name))
        reportedConflicts = try ConflictGraph(reported: request.conflicts, positions: positions, size: request.agents.count)
        tree = request.tree.sorted()
        options = try WaveOptions(request.options)
    }

    /// Declines when `depends_on` forms a cycle, naming the agents that can never start.
    private static func checkAcyclic(_ dependencies: [[Int]], names: [String]) throws(StrategyDecline) {
        var done = Set<Int>()
        var progress = true
        while progress {
            progress = false
            for agent in dependencies.indices where !done.contains(agent) && dependencies[agent].allSatisfy(done.contains) {
                done.insert(agent)
                progress = true
            }
        }
        let stuck = dependencies.indices.filter { !done.contains($0) }
        if !stuck.isEmpty { throw .dependencyCycle(stuck.map { names[$0] }) }
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

    /// The agents' names, in manifest order.
    var names: [String] { agents.map(\.name) }
}
