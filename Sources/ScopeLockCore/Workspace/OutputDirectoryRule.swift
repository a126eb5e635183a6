/// The rule that chose the output directory, where `locks/` lives (interface.md section 1), in order of precedence.
public enum OutputDirectoryRule: String, Codable, Sendable, CaseIterable {
    /// `--output-dir DIR` / `-o` (or a request's `output_dir`).
    case option
    /// `SCOPELOCK_OUTPUT_DIR`.
    case environment
    /// The manifest's `output_directory`, resolved against its folder (`plan`, `apply`).
    case manifest
    /// The manifest's folder: a workflow's locks are a lock space of its own (`plan`, `apply`).
    case manifestFolder = "manifest_folder"
    /// `.scopelock.yaml`'s `output_directory`, resolved against that file's folder.
    case configuration
    /// `<git common dir>/scopelock`: one folder for every worktree of the repository.
    case gitCommonDirectory = "git_common_dir"
    /// `<root>/.scopelock`: the root is not in a git repository.
    case rootFolder = "root_folder"

    /// The rule in words, for people.
    public var explanation: String {
        switch self {
        case .option: "--output-dir"
        case .environment: "SCOPELOCK_OUTPUT_DIR"
        case .manifest: "the manifest's output_directory"
        case .manifestFolder: "the manifest's folder (the workflow's own lock space)"
        case .configuration: "output_directory in .scopelock.yaml"
        case .gitCommonDirectory: "<git common dir>/scopelock, shared by every worktree of the repository"
        case .rootFolder: "<root>/.scopelock (the root is not in a git repository)"
        }
    }

    /// Whether the output directory was given (option or environment), so that it wins over a manifest's.
    var isGiven: Bool { self == .option || self == .environment }
}
