#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ScopeLockProtocol

/// Where a command acts, found from a starting directory (interface.md section 1): the root that scope paths
/// are relative to, the output directory that holds `locks/`, the store, and the rule that chose each.
///
/// Discovery reads only the filesystem (a walk up to `.scopelock.yaml` and `.git`); it never runs `git`.
/// Every front end finds its workspace the same way: the CLI from its current directory, `serve` and `mcp`
/// from theirs, a hook from the `cwd` its tool reports.
public struct WorkspaceLocation: Sendable, Equatable {
    /// The directory discovery started from: absolute, symbolic links resolved.
    public let directory: String
    /// The root: absolute, symbolic links resolved where it exists.
    public let root: String
    public let rootRule: RootRule
    /// The output directory (`locks/` lives in it): absolute.
    public let outputDirectory: String
    public let outputDirectoryRule: OutputDirectoryRule
    /// The store: `file`, or an `etcd://` URL.
    public let store: String
    public let storeRule: StoreRule
    /// The `.scopelock.yaml` that applied, if any.
    public let configuration: ProjectConfiguration?
    /// The git repository the root's search found, if any.
    public let git: GitRepository?

    /// The folder name, under the git common directory or the root, of the default output directory.
    public static let gitFolderName = "scopelock"
    public static let plainFolderName = ".scopelock"

    /// Finds the workspace from `directory` (absolute, or relative to the process's current directory).
    /// `overrides` and `environment` (`SCOPELOCK_ROOT`, `SCOPELOCK_OUTPUT_DIR`, `SCOPELOCK_STORE`, `GIT_DIR`,
    /// `GIT_WORK_TREE`) come first. A bad `.scopelock.yaml` or a root that does not exist is `invalid_input`;
    /// a root that cannot be read is `io_error`.
    public static func discover(
        from directory: String, overrides: WorkspaceOverrides = WorkspaceOverrides(), environment: [String: String]
    ) throws(ErrorInfo) -> WorkspaceLocation {
        let start = realDirectory(directory)
        func given(_ option: String?, _ variable: String) -> (String, fromOption: Bool)? {
            if let option { return (option, true) }
            if let value = environment[variable], !value.isEmpty { return (value, false) }
            return nil
        }
        var givenRoot: (path: String, rule: RootRule)?
        if let (path, fromOption) = given(overrides.root, "SCOPELOCK_ROOT") {
            givenRoot = (try checkedRoot(AbsolutePath.resolve(path, against: start), named: fromOption ? "--root" : "SCOPELOCK_ROOT"),
                         fromOption ? .option : .environment)
        }
        let search = Search(from: givenRoot?.path ?? start, environment: environment)
        let configuration = try search.configurationFolder.flatMap { folder throws(ErrorInfo) in try ProjectConfiguration.load(in: folder) }

        let root: String
        let rootRule: RootRule
        if let givenRoot {
            (root, rootRule) = givenRoot
        } else if let configuration {
            (root, rootRule) = (configuration.folder, .configuration)
        } else if let git = search.git {
            (root, rootRule) = (git.workTree, .gitWorkTree)
        } else {
            (root, rootRule) = (start, .currentDirectory)
        }

        let outputDirectory: String
        let outputRule: OutputDirectoryRule
        if let (path, fromOption) = given(overrides.outputDirectory, "SCOPELOCK_OUTPUT_DIR") {
            (outputDirectory, outputRule) = (AbsolutePath.resolve(path, against: start), fromOption ? .option : .environment)
        } else if let path = configuration?.outputDirectory {
            (outputDirectory, outputRule) = (path, .configuration)
        } else if let git = search.git {
            (outputDirectory, outputRule) = (AbsolutePath.join(git.commonDirectory, gitFolderName), .gitCommonDirectory)
        } else {
            (outputDirectory, outputRule) = (AbsolutePath.join(root, plainFolderName), .rootFolder)
        }

        let store: String
        let storeRule: StoreRule
        if let (name, fromOption) = given(overrides.store, "SCOPELOCK_STORE") {
            (store, storeRule) = (name, fromOption ? .option : .environment)
        } else if let name = configuration?.store {
            (store, storeRule) = (name, .configuration)
        } else {
            (store, storeRule) = ("file", .default)
        }
        return WorkspaceLocation(
            directory: start, root: root, rootRule: rootRule, outputDirectory: outputDirectory, outputDirectoryRule: outputRule,
            store: store, storeRule: storeRule, configuration: configuration, git: search.git
        )
    }

    /// This location with `root` and `outputDirectory` replaced, each with the rule that chose it.
    public func with(root: String, rule: RootRule, outputDirectory: String, rule outputRule: OutputDirectoryRule) -> WorkspaceLocation {
        WorkspaceLocation(
            directory: directory, root: root, rootRule: rule, outputDirectory: outputDirectory, outputDirectoryRule: outputRule,
            store: store, storeRule: storeRule, configuration: configuration, git: git
        )
    }

    /// The start directory's segments below the root, when it lies at or under the root: command-line paths
    /// are relative to it (as git pathspecs are). Nil when the start directory is outside the root.
    public var directoryUnderRoot: [String]? {
        AbsolutePath.relative(directory, under: root)
    }

    /// The walk up from a directory: the nearest `.scopelock.yaml` (never above the git working tree's top)
    /// and the git repository.
    private struct Search {
        var configurationFolder: String?
        var git: GitRepository?

        init(from start: String, environment: [String: String]) {
            if let gitDir = environment["GIT_DIR"], !gitDir.isEmpty {
                git = GitRepository.enclosing(start, environment: environment)
            }
            var current = start
            while true {
                if configurationFolder == nil, exists(AbsolutePath.join(current, ProjectConfiguration.fileName)) {
                    configurationFolder = current
                }
                if let found = git {
                    if current == found.workTree { break }
                } else if let found = GitRepository.atTop(current) {
                    git = found
                    break
                }
                guard let parent = AbsolutePath.parent(of: current) else { break }
                current = parent
            }
        }
    }

    /// `directory` absolute with symbolic links resolved (lexically normalised when it does not exist).
    static func realDirectory(_ directory: String) -> String {
        let absolute = AbsolutePath.resolve(directory, against: FileProbe.currentDirectory())
        return FileProbe.realPath(absolute) ?? absolute
    }

    /// A given root, with links resolved: it must be a folder that can be read.
    private static func checkedRoot(_ path: String, named name: String) throws(ErrorInfo) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                throw ErrorInfo(.invalidInput, "the root \(path) (\(name)) does not exist: name an existing folder", file: path)
            }
            throw SystemError.io("read the root", path)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ErrorInfo(.invalidInput, "the root \(path) (\(name)) is not a folder", file: path)
        }
        guard access(path, R_OK | X_OK) == 0 else { throw SystemError.io("read the root", path) }
        return FileProbe.realPath(path) ?? path
    }
}

/// Whether something exists at `path` (links not followed).
private func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}
