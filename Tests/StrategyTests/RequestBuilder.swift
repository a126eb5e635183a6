import ScopeLockCore
import ScopeLockProtocol

/// Builds resolve requests by hand; the conflicts are found with the scope engine, as the host finds them.
enum RequestBuilder {
    /// One requested agent.
    static func agent(
        _ name: String, files: [String] = [], directories: [String] = [], dependsOn: [String] = [],
        held: Bool = false, task: String? = nil
    ) -> AgentScope {
        AgentScope(name: name, files: files, directories: directories, task: task ?? "work of \(name)", dependsOn: dependsOn, held: held)
    }

    /// A request for `agents`, with every overlapping pair of agents reported as a conflict.
    static func request(_ agents: [AgentScope], tree: [String] = [], options: [String: JSONValue] = [:]) -> ResolveRequest {
        var conflicts: [AgentConflict] = []
        for one in agents.indices {
            for other in agents.indices where other > one {
                var overlaps: [EntryOverlap] = []
                for left in entries(of: agents[one]) {
                    for right in entries(of: agents[other]) {
                        if let witness = left.overlapWitness(with: right) {
                            overlaps.append(EntryOverlap(entries: [left.text, right.text], witness: witness))
                        }
                    }
                }
                if !overlaps.isEmpty {
                    conflicts.append(AgentConflict(agents: [agents[one].name, agents[other].name], overlaps: overlaps))
                }
            }
        }
        return ResolveRequest(workflow: "test", options: options, agents: agents, conflicts: conflicts, tree: tree.sorted())
    }

    /// The parsed entries of an agent's scope.
    static func entries(of agent: AgentScope) -> [ScopeEntry] {
        agent.files.map { try! ScopeEntry(parsing: $0) } + agent.directories.map { try! ScopeEntry(parsing: $0, asDirectory: true) }
    }
}
