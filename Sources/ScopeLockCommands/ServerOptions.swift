import ArgumentParser

/// Options of the long-running front ends (`serve`, `mcp`): the workspace a request acts in unless its own
/// `output_dir`, `root` or `plugin_dir` says otherwise.
package struct ServerOptions: ParsableArguments {
    @OptionGroup var location: WorkspaceOptions

    @Option(name: .customLong("plugin-dir"), help: ArgumentHelp("A folder searched first for scopelock-strategy-* plugins (repeatable).", valueName: "dir"))
    var pluginDirectories: [String] = []

    package init() {}

    /// The defaults these options give every request.
    package var defaults: RPCDispatcher.Defaults {
        RPCDispatcher.Defaults(
            outputDirectory: location.outputDir, root: location.root, pluginDirectories: pluginDirectories, store: location.store
        )
    }
}
