import ScopeLockProtocol

/// An agent of the plan a strategy is building: its final scope, and what the wave order must honour.
struct PlannedAgent: Sendable {
    var name: String
    var scope: ParsedScope
    /// The requested agents this one stands for, when a strategy merged several.
    var mergedFrom: [String]? = nil
    var task: String?
    /// Positions (in the plan) of the agents this one must run after.
    var dependencies: [Int]
    /// True when the agent already holds its lock: its scope is the requested one, and it should run first.
    var held: Bool

    /// The agent as it goes into the answer.
    var resolved: ResolvedAgent {
        ResolvedAgent(
            name: name, files: scope.fileTexts, directories: scope.directoryTexts, mergedFrom: mergedFrom, task: task,
            excludes: scope.excludeTexts.isEmpty ? nil : scope.excludeTexts
        )
    }
}
