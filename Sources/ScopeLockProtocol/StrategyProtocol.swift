/// The strategy plugin protocol, `scopelock.strategy/1` (interface.md section 7): a plugin is an executable
/// run as `PLUGIN describe` or `PLUGIN resolve`, one JSON object on stdin, one on stdout.
public enum StrategyProtocol {
    /// The protocol identifier every message carries.
    public static let identifier = "scopelock.strategy/1"
    /// The environment variable the host sets to the identifier.
    public static let environmentVariable = "SCOPELOCK_PROTOCOL"
    /// Executables named `scopelock-strategy-NAME` are strategies.
    public static let executablePrefix = "scopelock-strategy-"
}

/// The answer to `describe`.
public struct StrategyDescription: Codable, Sendable, Equatable {
    public var `protocol`: String
    public var name: String
    public var version: String
    public var description: String

    public init(name: String, version: String, description: String) {
        self.protocol = StrategyProtocol.identifier
        self.name = name
        self.version = version
        self.description = description
    }
}
