import ArgumentParser

/// Options of the long-running front ends (`serve`, `mcp`): the workspace a request acts in unless its own
/// `output_dir`, `root` or `plugin_dir` says otherwise.
struct ServerOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "The default output directory; locks live in <dir>/locks/ (default: $SCOPELOCK_OUTPUT_DIR, else the current directory).",
        valueName: "dir"
    ))
    var outputDir: String?

    @Option(help: ArgumentHelp(
        "The default repository root that entries are relative to (default: $SCOPELOCK_ROOT, else the current directory).",
        valueName: "dir"
    ))
    var root: String?

    @Option(name: .customLong("plugin-dir"), help: ArgumentHelp("A folder searched first for scopelock-strategy-* plugins (repeatable).", valueName: "dir"))
    var pluginDirectories: [String] = []

    /// The defaults these options give every request.
    var defaults: RPCDispatcher.Defaults {
        RPCDispatcher.Defaults(outputDirectory: outputDir, root: root, pluginDirectories: pluginDirectories)
    }
}
