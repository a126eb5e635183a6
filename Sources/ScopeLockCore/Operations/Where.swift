import ScopeLockProtocol

/// `where`: the root, output directory and store every other command would use here, and the rule that chose each.
public struct WhereRequest: Codable, Sendable {
    public init() {}
}

/// The workspace found, with absolute paths.
public struct WhereResult: Encodable, Sendable {
    /// Which rule chose each (interface.md section 1).
    public struct Reasons: Encodable, Sendable {
        public let root: RootRule
        public let outputDirectory: OutputDirectoryRule
        public let store: StoreRule

        enum CodingKeys: String, CodingKey {
            case root, store
            case outputDirectory = "output_directory"
        }
    }

    public let root: String
    public let outputDirectory: String
    /// `file`, or the `etcd://` URL.
    public let store: String
    /// Where the records live: `<output_directory>/locks` for the file store, the etcd address and prefix otherwise.
    public let lockFolder: String
    public let reasons: Reasons
    /// The `.scopelock.yaml` that applied, if any.
    public let configuration: String?
    /// The git working tree's top and the common directory, when the root is in a git repository.
    public let gitWorkTree: String?
    public let gitCommonDirectory: String?

    enum CodingKeys: String, CodingKey {
        case root, store, reasons, configuration
        case outputDirectory = "output_directory"
        case lockFolder = "lock_folder"
        case gitWorkTree = "git_work_tree"
        case gitCommonDirectory = "git_common_dir"
    }
}

extension Workspace {
    public func `where`(_ request: WhereRequest = WhereRequest()) -> Outcome<WhereResult> {
        if let discoveryError { return Outcome(error: discoveryError) }
        return Outcome(WhereResult(
            root: location.root, outputDirectory: location.outputDirectory, store: location.store, lockFolder: store.location,
            reasons: .init(root: location.rootRule, outputDirectory: location.outputDirectoryRule, store: location.storeRule),
            configuration: location.configuration?.path, gitWorkTree: location.git?.workTree,
            gitCommonDirectory: location.git?.commonDirectory
        ), warnings: FilesystemCase.warning(root: location.root).map { [$0] } ?? [])
    }
}
