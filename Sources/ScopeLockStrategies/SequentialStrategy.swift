import ScopeLockPluginKit
import ScopeLockProtocol

/// `sequential`: scopes stay as requested; conflicting agents run in different waves.
///
/// Waves come from a DSatur colouring of the conflict graph that honours `depends_on` (see `WaveScheduler`),
/// with held agents first. Each conflict gets one `sequence` action naming the overlapping entries and a
/// witness path. The option `max_parallel` caps how many agents a wave may hold.
public struct SequentialStrategy: BuiltInStrategy {
    /// The strategy; it has no settings of its own (options come with each request).
    public init() {}

    /// What `describe` answers: name, version and the rule in one line.
    public var description: StrategyDescription {
        StrategyDescription(
            name: "sequential", version: BuiltInStrategies.version,
            description: "Keeps every scope as requested and runs conflicting agents in different waves."
        )
    }

    func plan(_ input: StrategyInput) throws(StrategyDecline) -> ResolveAnswer {
        try PlanAssembler(options: input.options).answer(for: input.unchangedAgents, conflicts: input.reportedConflicts, actions: [])
    }
}
