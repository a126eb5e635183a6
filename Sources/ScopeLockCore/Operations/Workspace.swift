import Foundation
import ScopeLockProtocol

/// Where operations act: the lock store, the repository root entries are relative to, the plugin search
/// path and the clock. Every front end (CLI, `serve`, `mcp`) builds one and calls the same operations on it.
public struct Workspace: Sendable {
    /// The output directory given by option or `SCOPELOCK_OUTPUT_DIR`; nil means "the manifest's, else the current directory".
    public let explicitOutputDirectory: String?
    /// The root given by option or `SCOPELOCK_ROOT`; nil means "the manifest's, else the current directory".
    public let explicitRoot: String?
    public let store: any LockStore
    public let normalizer: EntryNormalizer
    /// Extra folders searched first for strategy plugins (`--plugin-dir`).
    public let pluginDirectories: [String]
    public let environment: [String: String]
    let makeStore: @Sendable (String) -> any LockStore
    public let now: @Sendable () -> Date

    /// A workspace from options (nil when not given), falling back to the environment, then the current directory.
    /// The lock store is `makeStore`'s when given, else the one `store` names (`--store`), else
    /// `SCOPELOCK_STORE`'s, else the file store in the output directory.
    public init(
        outputDirectory: String?,
        root: String?,
        pluginDirectories: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        store storeName: String? = nil,
        makeStore: (@Sendable (String) -> any LockStore)? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let makeStore = makeStore ?? StoreLocation.makeStore(option: storeName, environment: environment)
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        explicitOutputDirectory = nonEmpty(outputDirectory) ?? nonEmpty(environment["SCOPELOCK_OUTPUT_DIR"])
        explicitRoot = nonEmpty(root) ?? nonEmpty(environment["SCOPELOCK_ROOT"])
        let current = FileManager.default.currentDirectoryPath
        store = makeStore(explicitOutputDirectory ?? current)
        normalizer = EntryNormalizer(root: explicitRoot ?? current)
        self.pluginDirectories = pluginDirectories
        self.environment = environment
        self.makeStore = makeStore
        self.now = now
    }

    /// The workspace a manifest's operations act in: options and environment first, then the manifest's
    /// `output_directory` and `root`.
    func scoped(to manifest: Manifest) -> Workspace {
        Workspace(
            outputDirectory: explicitOutputDirectory ?? manifest.outputDirectory,
            root: explicitRoot ?? manifest.root,
            pluginDirectories: pluginDirectories,
            environment: environment,
            makeStore: makeStore,
            now: now
        )
    }

    /// Normalises entries given by a user, collecting the warnings normalisation raises.
    func normalize(_ raw: [String]) throws(ErrorInfo) -> (entries: [ScopeEntry], warnings: [ResultWarning]) {
        guard !raw.isEmpty else { throw ErrorInfo(.invalidInput, "no entries given: name at least one file, directory/ or glob") }
        var entries: [ScopeEntry] = []
        var warnings: [ResultWarning] = []
        for text in raw {
            let normalized: NormalizedEntry
            do { normalized = try normalizer.normalize(text) } catch { throw ErrorInfo(scope: error) }
            if normalized.escapedLiteral {
                warnings.append(ResultWarning(
                    code: "escaped_literal",
                    message: "\(text) names an existing file; recorded as the literal \(normalized.entry.text)"
                ))
            }
            if !entries.contains(normalized.entry) { entries.append(normalized.entry) }
        }
        return (entries, warnings)
    }
}

extension ErrorInfo {
    /// The `invalid_input` error for a bad entry.
    init(scope error: ScopeError) {
        self.init(.invalidInput, error.message, entry: error.entry, position: error.position)
    }
}
