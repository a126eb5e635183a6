/// The request a strategy receives on `resolve`: the agents, their conflicts, and the files involved.
public struct ResolveRequest: Codable, Sendable, Equatable {
    public var `protocol`: String
    public var workflow: String
    /// The manifest's strategy options, passed through untouched.
    public var options: [String: JSONValue]
    public var agents: [AgentScope]
    public var conflicts: [AgentConflict]
    /// Repository files (relative to root) under the conflicting scopes, sorted.
    public var tree: [String]

    public init(
        workflow: String, options: [String: JSONValue], agents: [AgentScope], conflicts: [AgentConflict], tree: [String],
        protocol version: String = StrategyProtocol.identifier
    ) {
        self.protocol = version
        self.workflow = workflow
        self.options = options
        self.agents = agents
        self.conflicts = conflicts
        self.tree = tree
    }
}

/// One agent that takes locks, with its scope as the manifest gives it (normalised).
public struct AgentScope: Codable, Sendable, Equatable {
    public var name: String
    /// File and glob entries.
    public var files: [String]
    /// Directory entries, each ending in `/`.
    public var directories: [String]
    public var task: String?
    public var dependsOn: [String]
    /// True when the agent already holds its lock: a strategy must keep its scope as it is.
    public var held: Bool
    /// Entries the scope does not cover (protocol version 2); absent when none.
    public var excludes: [String]?

    public init(name: String, files: [String], directories: [String], task: String?, dependsOn: [String], held: Bool, excludes: [String]? = nil) {
        self.excludes = excludes
        self.name = name
        self.files = files
        self.directories = directories
        self.task = task
        self.dependsOn = dependsOn
        self.held = held
    }

    /// Every entry: files and globs, then directories.
    public var entries: [String] { files + directories }

    enum CodingKeys: String, CodingKey {
        case name, files, directories, task, held, excludes
        case dependsOn = "depends_on"
    }
}

/// Two agents whose scopes overlap, with each overlapping pair of entries.
public struct AgentConflict: Codable, Sendable, Equatable {
    /// The two agents, in manifest order.
    public var agents: [String]
    public var overlaps: [EntryOverlap]

    public init(agents: [String], overlaps: [EntryOverlap]) {
        self.agents = agents
        self.overlaps = overlaps
    }
}

/// One overlapping pair of entries (in the order of `agents`) and a path both cover.
public struct EntryOverlap: Codable, Sendable, Equatable {
    public var entries: [String]
    public var witness: String

    public init(entries: [String], witness: String) {
        self.entries = entries
        self.witness = witness
    }
}
