import ScopeLockProtocol

/// The strategy options the built-in strategies understand; others are ignored.
///
/// `max_parallel` (a positive whole number) caps how many agents one wave may hold.
struct WaveOptions: Sendable, Equatable {
    /// The most agents one wave may hold; nil for no cap.
    var maxParallel: Int?

    /// Reads the options of a request.
    init(_ options: [String: JSONValue]) throws(StrategyDecline) {
        switch options["max_parallel"] {
        case nil, .null?:
            maxParallel = nil
        case .number(let value)? where value >= 1 && value <= 1_000_000 && value.rounded() == value:
            maxParallel = Int(value)
        default:
            throw .badOptions("option max_parallel must be a whole number of at least 1")
        }
    }
}
