#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ScopeLockProtocol

/// `init`: write `.scopelock.yaml` at the root, every default spelled out in comments, and keep the lock
/// folder out of git. An existing file is left as it is.
public struct InitRequest: Codable, Sendable {
    public init() {}
}

/// What `init` wrote.
public struct InitResult: Encodable, Sendable {
    /// The `.scopelock.yaml` path.
    public let configuration: String
    /// False when the file was already there (it is not changed).
    public let created: Bool
    public let root: String
    public let outputDirectory: String
    /// The `.gitignore` written in the output directory when it lies inside the working tree; nil when git
    /// never sees it (under the git directory, or outside the working tree).
    public let gitignore: String?

    enum CodingKeys: String, CodingKey {
        case configuration, created, root, gitignore
        case outputDirectory = "output_directory"
    }
}

extension Workspace {
    public func `init`(_ request: InitRequest = InitRequest()) -> Outcome<InitResult> {
        Outcome.catching { () throws(ErrorInfo) in
            if let discoveryError { throw discoveryError }
            let path = AbsolutePath.join(location.root, ProjectConfiguration.fileName)
            var created = false
            var info = stat()
            if lstat(path, &info) != 0 {
                guard errno == ENOENT else { throw SystemError.io("examine", path) }
                try Self.writeNew(path, Self.template(for: location))
                created = true
            }
            // Read back what is now in force (the file may name its own output directory).
            let settled = try WorkspaceLocation.discover(
                from: location.root, overrides: WorkspaceOverrides(
                    root: location.rootRule.isGiven ? location.root : nil,
                    outputDirectory: location.outputDirectoryRule.isGiven ? location.outputDirectory : nil
                ), environment: [:]
            )
            let gitignore = try Self.ignoreLockFolder(settled)
            return Outcome(InitResult(
                configuration: path, created: created, root: settled.root, outputDirectory: settled.outputDirectory, gitignore: gitignore
            ), warnings: FilesystemCase.warning(root: settled.root).map { [$0] } ?? [])
        }
    }

    /// The commented file `init` writes.
    static func template(for location: WorkspaceLocation) -> String {
        let defaultOutput = location.git != nil
            ? "<git common dir>/scopelock, one folder for every worktree of this repository"
            : "<root>/.scopelock"
        return """
        # scopelock settings. This file's folder is the root that lock entries are relative to: every agent
        # started here or in a folder below shares one lock space. `scopelock where` shows what is in force.
        version: 1

        # Where locks/ lives, relative to this file's folder.
        # Default: \(defaultOutput).
        # output_directory: .scopelock

        # The lock store: file (locks/ in the output directory) or etcd://host:port[,host:port...]/prefix.
        # store: file

        """
    }

    /// Creates `path` with `text`; fails if it appeared meanwhile.
    private static func writeNew(_ path: String, _ text: String) throws(ErrorInfo) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemError.io("create", path) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError.io("write", path)
            }
            written += count
        }
    }

    /// When the output directory lies inside the git working tree (not under the git directory), a
    /// `.gitignore` holding `*` in it keeps the lock folder from ever being committed. Returns its path.
    private static func ignoreLockFolder(_ location: WorkspaceLocation) throws(ErrorInfo) -> String? {
        let output = location.outputDirectory
        guard let top = location.git?.workTree ?? Optional(location.root),
              AbsolutePath.relative(output, under: top)?.isEmpty == false else { return nil }
        if let git = location.git,
           AbsolutePath.relative(output, under: git.gitDirectory) != nil || AbsolutePath.relative(output, under: git.commonDirectory) != nil {
            return nil
        }
        try LockDirectory.makeDirectories(output)
        let path = AbsolutePath.join(output, ".gitignore")
        var info = stat()
        if lstat(path, &info) == 0 { return path }
        try writeNew(path, "# scopelock's lock folder: never committed.\n*\n")
        return path
    }
}
