/// A warning attached to a result: the operation went ahead, but something deserves a look.
public struct ResultWarning: Codable, Sendable, Hashable {
    /// Stable code, e.g. `overwrote_expired`.
    public let code: String
    /// What happened, for a person.
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
