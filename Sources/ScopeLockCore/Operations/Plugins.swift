import Foundation
import ScopeLockProtocol

/// `plugins`: the strategy plugins found, in search order, each described by itself.
public struct PluginsRequest: Codable, Sendable {
    public init() {}
}

public struct PluginsResult: Encodable, Sendable {
    /// One plugin as found and as it describes itself.
    public struct Plugin: Encodable, Sendable {
        public let name: String
        public let version: String?
        public let description: String?
        public let path: String
        /// Same-named plugins later in the search order that this one hides.
        public let shadows: [String]
        /// Why `describe` failed, when it did.
        public let error: String?
    }

    public let plugins: [Plugin]
}

extension Workspace {
    public func plugins(_ request: PluginsRequest) async -> Outcome<PluginsResult> {
        let locator = PluginLocator(pluginDirectories: pluginDirectories, environment: environment)
        var plugins: [PluginsResult.Plugin] = []
        var warnings: [ResultWarning] = []
        for found in locator.all() {
            let client = StrategyClient(argv: [found.path], runner: PluginRunner(timeout: .seconds(10)))
            var description: StrategyDescription?
            var failure: String?
            do { description = try await client.describe() } catch { failure = error.message }
            plugins.append(.init(
                name: found.name, version: description?.version, description: description?.description, path: found.path,
                shadows: found.shadowed, error: failure
            ))
            for hidden in found.shadowed {
                warnings.append(ResultWarning(code: "shadowed_plugin", message: "\(found.path) shadows \(hidden)"))
            }
            if let failure { warnings.append(ResultWarning(code: "plugin_error", message: failure)) }
        }
        return Outcome(PluginsResult(plugins: plugins), warnings: warnings)
    }
}
