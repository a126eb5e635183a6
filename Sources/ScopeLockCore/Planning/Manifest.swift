import ScopeLockProtocol

/// A workflow manifest (`MANIFEST.yaml` or JSON): the agents, their scopes, and how to resolve conflicts.
public struct Manifest: Sendable {
    /// The file it was read from (`<inline>` for one given as an object).
    public var path: String
    /// The folder relative paths in the manifest are resolved against.
    public var folder: String
    public var version: Int
    public var workflow: String
    /// `output_directory`, resolved against `folder`.
    public var outputDirectory: String
    /// `root`, resolved against `folder`, when the manifest gives one.
    public var root: String?
    /// Lock time to live, as written (`1h`).
    public var ttl: String?
    public var strategy: StrategyChoice
    /// Every agent, in manifest order, read-only ones included.
    public var agents: [ManifestAgent]
    /// Warnings raised while its entries were read (`resolved_symlink`).
    public var warnings: [ResultWarning] = []

    /// The agents that take locks.
    public var writers: [ManifestAgent] { agents.filter { $0.access == .write } }
}

/// One agent of a manifest.
public struct ManifestAgent: Sendable, Equatable {
    public enum Access: String, Sendable { case write, read }

    public var name: String
    public var task: String?
    /// Normalised file and glob entries, parsed once as the manifest is read.
    public var fileEntries: [ScopeEntry]
    /// Normalised directory entries, parsed once as the manifest is read.
    public var directoryEntries: [ScopeEntry]
    public var dependsOn: [String]
    public var access: Access
    /// Where the agent is declared, for messages.
    public var line: Int?
    public var column: Int?
    /// Normalised excludes: entries the agent's scope does not cover.
    public var excludeEntries: [ScopeEntry] = []
    /// The excludes as text.
    public var excludes: [String] { excludeEntries.map(\.text) }

    /// The file and glob entries as text.
    public var files: [String] { fileEntries.map(\.text) }
    /// The directory entries as text, each ending in `/`.
    public var directories: [String] { directoryEntries.map(\.text) }
}

/// How a manifest asks for conflicts to be resolved.
public enum StrategyChoice: Sendable, Equatable {
    /// A plugin found by name (`scopelock-strategy-NAME`).
    case named(String, options: [String: JSONValue])
    /// An explicit command, no shell; a relative program path is resolved against the manifest's folder.
    case command([String], options: [String: JSONValue])

    /// The options passed to the plugin.
    public var options: [String: JSONValue] {
        switch self {
        case .named(_, let options), .command(_, let options): options
        }
    }
}
