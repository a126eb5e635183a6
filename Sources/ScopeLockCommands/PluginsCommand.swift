import ArgumentParser
import ScopeLockCore

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the strategy plugins found, with name, version and path.",
        discussion: """
        Plugins are executables named scopelock-strategy-NAME, searched in --plugin-dir folders, \
        SCOPELOCK_PLUGIN_PATH, the folder of scopelock itself, then PATH. The first found wins; the ones it \
        hides are listed as shadowed.

        Example:
          SCOPELOCK_PLUGIN_PATH=examples/plugins scopelock plugins
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("plugin-dir"), help: ArgumentHelp("A folder searched first (repeatable).", valueName: "dir"))
    var pluginDirectories: [String] = []

    func run() async throws {
        let outcome = await global.workspace(pluginDirectories: pluginDirectories).plugins(PluginsRequest())
        try Output.finish(outcome, json: global.json) { result in
            guard !result.plugins.isEmpty else { return "no strategy plugins found" }
            return result.plugins.map { plugin in
                let safe = { (text: String) in ControlCharacters.escaped(text) }
                return "\(safe(plugin.name))  \(safe(plugin.version ?? "?"))  \(safe(plugin.path))" + (plugin.description.map { "\n    \(safe($0))" } ?? "")
            }.joined(separator: "\n")
        }
    }
}
