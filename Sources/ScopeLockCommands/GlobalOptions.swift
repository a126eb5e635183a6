import ArgumentParser
import Foundation
import ScopeLockCore

/// Options every lock command takes: where the locks are, what paths are relative to, and `--json`.
struct GlobalOptions: ParsableArguments {
    @Flag(help: "Print exactly one JSON object on stdout.")
    var json = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "The workflow's output directory; locks live in <dir>/locks/ (default: $SCOPELOCK_OUTPUT_DIR, else the current directory).",
        valueName: "dir"
    ))
    var outputDir: String?

    @Option(help: ArgumentHelp(
        "The repository root that entries are relative to (default: $SCOPELOCK_ROOT, else the current directory).",
        valueName: "dir"
    ))
    var root: String?

    /// The workspace these options name.
    func workspace(pluginDirectories: [String] = []) -> Workspace {
        Workspace(outputDirectory: outputDir, root: root, pluginDirectories: pluginDirectories)
    }
}
