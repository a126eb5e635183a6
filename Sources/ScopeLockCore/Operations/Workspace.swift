import Foundation
import ScopeLockProtocol

/// Where operations act: the lock store, the repository root entries are relative to, the plugin search
/// path and the clock. Every front end (CLI, `serve`, `mcp`, hooks) builds one and calls the same operations on it.
public struct Workspace: Sendable {
    /// How relative paths in requests are read.
    public enum PathBase: Sendable {
        /// Relative to the root (`serve`, MCP, manifests, records).
        case root
        /// Relative to the directory discovery started from, when it lies inside the root, as git pathspecs
        /// are (the command line); else relative to the root.
        case startDirectory
    }

    /// The root, output directory and store, and the rule that chose each.
    public let location: WorkspaceLocation
    /// Why the workspace could not be found (a bad `.scopelock.yaml`, a root that cannot be read); every
    /// operation that needs the store fails with it.
    public let discoveryError: ErrorInfo?
    /// The output directory given by option or `SCOPELOCK_OUTPUT_DIR`; nil means it was discovered.
    public var explicitOutputDirectory: String? { location.outputDirectoryRule.isGiven ? location.outputDirectory : nil }
    /// The root given by option or `SCOPELOCK_ROOT`; nil means it was discovered.
    public var explicitRoot: String? { location.rootRule.isGiven ? location.root : nil }
    public let store: any LockStore
    public let normalizer: EntryNormalizer
    /// Extra folders searched first for strategy plugins (`--plugin-dir`).
    public let pluginDirectories: [String]
    public let environment: [String: String]
    let pathBase: PathBase
    let makeStore: @Sendable (String) -> any LockStore
    public let now: @Sendable () -> Date

    /// A workspace found from `directory` (default: the current directory) with options (nil when not given),
    /// then the environment, then `.scopelock.yaml`, git and the defaults (interface.md section 1).
    /// The lock store is `makeStore`'s when given, else the one the location names.
    public init(
        outputDirectory: String?,
        root: String?,
        pluginDirectories: [String] = [],
        environment: [String: String] = ProcessEnvironment.current,
        store storeName: String? = nil,
        makeStore: (@Sendable (String) -> any LockStore)? = nil,
        directory: String? = nil,
        paths: PathBase = .root,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let overrides = WorkspaceOverrides(root: root, outputDirectory: outputDirectory, store: storeName)
        let start = directory ?? FileProbe.currentDirectory()
        do throws(ErrorInfo) {
            let location = try WorkspaceLocation.discover(from: start, overrides: overrides, environment: environment)
            self.init(location: location, pluginDirectories: pluginDirectories, environment: environment, makeStore: makeStore, paths: paths, now: now)
        } catch {
            let fallback = WorkspaceLocation.undiscovered(from: start)
            self.init(location: fallback, discoveryError: error, pluginDirectories: pluginDirectories, environment: environment,
                      makeStore: { _ in UnusableLockStore(error: error) }, paths: paths, now: now)
        }
    }

    /// A workspace at a location already found (a server finds its location once).
    public init(
        location: WorkspaceLocation,
        discoveryError: ErrorInfo? = nil,
        pluginDirectories: [String] = [],
        environment: [String: String] = ProcessEnvironment.current,
        makeStore: (@Sendable (String) -> any LockStore)? = nil,
        paths: PathBase = .root,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let makeStore = makeStore ?? StoreLocation.makeStore(option: location.store, environment: [:])
        self.location = location
        self.discoveryError = discoveryError
        store = makeStore(location.outputDirectory)
        let base = paths == .startDirectory ? location.directoryUnderRoot ?? [] : []
        normalizer = EntryNormalizer(root: location.root, base: base)
        self.pluginDirectories = pluginDirectories
        self.environment = environment
        self.pathBase = paths
        self.makeStore = makeStore
        self.now = now
    }

    /// The workspace a manifest's operations act in: a given root and output directory first, then the
    /// manifest's `root` and `output_directory`, else the discovered root and the manifest's folder.
    func scoped(to manifest: Manifest) -> Workspace {
        let root: (String, RootRule) = location.rootRule.isGiven
            ? (location.root, location.rootRule)
            : manifest.root.map { ($0, .manifest) } ?? (location.root, location.rootRule)
        let output: (String, OutputDirectoryRule) = location.outputDirectoryRule.isGiven
            ? (location.outputDirectory, location.outputDirectoryRule)
            : (manifest.outputDirectory, manifest.outputDirectory == manifest.folder ? .manifestFolder : .manifest)
        return Workspace(
            location: location.with(root: root.0, rule: root.1, outputDirectory: output.0, rule: output.1),
            discoveryError: discoveryError, pluginDirectories: pluginDirectories, environment: environment,
            makeStore: makeStore, paths: .root, now: now
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
            if let link = normalized.resolvedLink {
                warnings.append(.resolvedSymlink(text, through: link, as: normalized.entry.text))
            }
            if !entries.contains(normalized.entry) { entries.append(normalized.entry) }
        }
        return (entries, warnings)
    }
}

extension ResultWarning {
    /// `resolved_symlink`: an entry passed through a symbolic link inside the root and was recorded as the real path.
    static func resolvedSymlink(_ given: String, through link: String, as recorded: String) -> ResultWarning {
        ResultWarning(
            code: "resolved_symlink",
            message: "\(given) passes through the symbolic link \(link); recorded as the real path \(recorded)"
        )
    }
}

extension WorkspaceLocation {
    /// The location used when discovery failed: the start directory as root, nothing else found.
    static func undiscovered(from directory: String) -> WorkspaceLocation {
        let start = realDirectory(directory)
        return WorkspaceLocation(
            directory: start, root: start, rootRule: .currentDirectory,
            outputDirectory: AbsolutePath.join(start, plainFolderName), outputDirectoryRule: .rootFolder,
            store: "file", storeRule: .default, configuration: nil, git: nil
        )
    }
}

extension ErrorInfo {
    /// The `invalid_input` error for a bad entry.
    init(scope error: ScopeError) {
        self.init(.invalidInput, error.message, entry: error.entry, position: error.position)
    }
}
