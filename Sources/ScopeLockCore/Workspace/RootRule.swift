/// The rule that chose the root (interface.md section 1), in order of precedence.
public enum RootRule: String, Codable, Sendable, CaseIterable {
    /// `--root DIR` (or a request's `root`).
    case option
    /// `SCOPELOCK_ROOT`.
    case environment
    /// The manifest's `root` (manifest commands).
    case manifest
    /// The folder of the nearest `.scopelock.yaml` at or above the current directory, not above the git top.
    case configuration
    /// The top of the git working tree the current directory is in (a linked worktree's own top).
    case gitWorkTree = "git_work_tree"
    /// The current directory: no rule above applied.
    case currentDirectory = "current_directory"

    /// The rule in words, for people.
    public var explanation: String {
        switch self {
        case .option: "--root"
        case .environment: "SCOPELOCK_ROOT"
        case .manifest: "the manifest's root"
        case .configuration: "the folder of the nearest .scopelock.yaml"
        case .gitWorkTree: "the top of the git working tree"
        case .currentDirectory: "the current directory (no .scopelock.yaml, not in a git working tree)"
        }
    }

    /// Whether the root was given (option or environment), so that it wins over a manifest's.
    var isGiven: Bool { self == .option || self == .environment }
}
