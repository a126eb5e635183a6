import ScopeLockProtocol

/// A resolution strategy: its description and its logic. `PluginMain` does the rest.
public protocol Strategy: Sendable {
    /// What `describe` answers.
    var description: StrategyDescription { get }
    /// Resolves the conflicts of `request`, or declines.
    func resolve(_ request: ResolveRequest) -> ResolveAnswer
}
