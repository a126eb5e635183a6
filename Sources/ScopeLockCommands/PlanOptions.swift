import ArgumentParser

/// Options of the commands that read a manifest and run a strategy plugin.
struct PlanOptions: ParsableArguments {
    @Argument(help: "The workflow manifest, YAML or JSON (e.g. MANIFEST.yaml).") var manifest: String
    @Option(help: "Resolve with this strategy instead of the manifest's (sequential, reassign, split, merge, or a plugin's name).")
    var strategy: String?
    @Option(help: "How long the strategy plugin may take before it is killed (default 10s).") var pluginTimeout: String?
    @Option(name: .customLong("plugin-dir"), help: ArgumentHelp("A folder searched first for scopelock-strategy-* plugins (repeatable).", valueName: "dir"))
    var pluginDirectories: [String] = []
}
