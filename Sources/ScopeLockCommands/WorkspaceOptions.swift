import ArgumentParser
import ScopeLockCore
import ScopeLockProtocol

/// Where the locks are and what paths are relative to: the options every command that touches locks takes.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Where locks/ lives (default: $SCOPELOCK_OUTPUT_DIR, else the manifest's, else .scopelock.yaml's, else <git common dir>/scopelock, else <root>/.scopelock; see `scopelock where`).",
        valueName: "dir"
    ))
    var outputDir: String?

    @Option(help: ArgumentHelp(
        "The repository root that entries are relative to (default: $SCOPELOCK_ROOT, else the manifest's, else the nearest .scopelock.yaml's folder, else the git working tree's top, else the current directory).",
        valueName: "dir"
    ))
    var root: String?

    @Option(help: ArgumentHelp(
        "Where the locks are kept: file (the default, <dir>/locks/) or etcd://host:port[,host:port...]/prefix (default: $SCOPELOCK_STORE, else .scopelock.yaml's).",
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


