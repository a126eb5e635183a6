import ScopeLockPluginKit
import ScopeLockProtocol

/// What the built-in strategies share: each plans from a checked `StrategyInput`, and a problem with the
/// request becomes a `declined` answer.
protocol BuiltInStrategy: Strategy {
    /// The plan for a request that passed the input checks.
    func plan(_ input: StrategyInput) throws(StrategyDecline) -> ResolveAnswer
}

extension BuiltInStrategy {
    /// The resolved plan for `request`, or `declined` (`bad_request`, `bad_options`, `dependency_cycle`).
    public func resolve(_ request: ResolveRequest) -> ResolveAnswer {
        do {
            return try plan(StrategyInput(request))
        } catch {
            return error.answer
        }
    }
}
