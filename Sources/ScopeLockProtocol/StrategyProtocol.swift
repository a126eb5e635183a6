/// The strategy plugin protocol (interface.md section 7): a plugin is an executable run as `PLUGIN describe` or
/// `PLUGIN resolve`, one JSON object on stdin, one on stdout.
///
/// Version 2 adds `excludes` to the agents of requests and answers. A `describe` request is always sent as
/// version 1, which every plugin reads; the plugin's `describe` answer names the version it speaks, and the
/// `resolve` request and answer then use that version. A version 1 plugin is never sent excludes.
public enum StrategyProtocol {
    /// The newest protocol identifier, which the built-in strategies speak.
    public static let identifier = "scopelock.strategy/2"
    /// The first version, without excludes; still spoken to plugins that answer `describe` with it.
    public static let version1 = "scopelock.strategy/1"
    /// Every version the host and the plugin kit speak.
    public static let supported = [version1, identifier]
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
