import ArgumentParser
import ScopeLockCore
import ScopeLockProtocol

/// Where the locks are and what paths are relative to: the options every command that touches locks takes.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "The workflow's output directory; locks live in <dir>/locks/ (default: $SCOPELOCK_OUTPUT_DIR, else the manifest's, else the current directory).",
        valueName: "dir"
    ))
    var outputDir: String?

    @Option(help: ArgumentHelp(
        "The repository root that entries are relative to (default: $SCOPELOCK_ROOT, else the manifest's, else the current directory).",
        valueName: "dir"
    ))
    var root: String?

    @Option(help: ArgumentHelp(
        "Where the locks are kept: file (the default, <dir>/locks/) or etcd://host:port[,host:port...]/prefix (default: $SCOPELOCK_STORE).",
        valueName: "store"
    ))
    var store: String?

    /// A `--store` typo is a usage error (exit 2).
    func validate() throws {
        guard let store else { return }
        do throws(ErrorInfo) {
            _ = try StoreLocation(parsing: store)
        } catch {
            throw ValidationError(error.message)
        }
    }
}


