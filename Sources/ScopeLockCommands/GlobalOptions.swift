import ArgumentParser
import ScopeLockCore

/// Options every lock command takes: where the locks are, what paths are relative to, and `--json`.
struct GlobalOptions: ParsableArguments {
    @Flag(help: "Print exactly one JSON object on stdout.")
    var json = false

    @OptionGroup var location: WorkspaceOptions

    /// The workspace these options name, found from the current directory; relative paths on the command line
    /// are relative to the current directory when it lies inside the root.
    func workspace(pluginDirectories: [String] = []) -> Workspace {
        Workspace(
            outputDirectory: location.outputDir, root: location.root, pluginDirectories: pluginDirectories, store: location.store,
            paths: .startDirectory, now: TestClock.now()
        )
    }
}
