import ScopeLockProtocol

/// Why a built-in strategy will not resolve a request: a stable code and a message, sent back as a `declined` answer.
struct StrategyDecline: Error, Sendable, Equatable {
    /// `bad_request`, `bad_options` or `dependency_cycle`.
    let code: String
    let message: String

    /// The request itself is malformed (duplicate agents, unparsable entries, unknown conflict agents).
    static func badRequest(_ message: String) -> StrategyDecline {
        StrategyDecline(code: "bad_request", message: message)
    }

    /// The strategy options are not understood.
    static func badOptions(_ message: String) -> StrategyDecline {
        StrategyDecline(code: "bad_options", message: message)
    }

    /// `depends_on` forms a cycle, so no wave order exists.
    static func dependencyCycle(_ names: [String]) -> StrategyDecline {
        StrategyDecline(
            code: "dependency_cycle",
            message: "depends_on forms a cycle among \(names.joined(separator: ", ")): remove one of the dependencies"
        )
    }

    /// The `declined` answer carrying this reason.
    var answer: ResolveAnswer { .declined(code: code, message: message) }
}
