/// A strategy's answer to `resolve`: a resolved plan, or `declined` with a reason.
public struct ResolveAnswer: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case resolved, declined }

    public var `protocol`: String
    public var status: Status
    /// The final agents: each requested agent once, by name or inside one agent's `merged_from`.
    public var agents: [ResolvedAgent]?
    /// Agent names in the order they may run: agents in one wave run in parallel.
    public var waves: [[String]]?
    public var actions: [PlanAction]?
    /// Why the strategy declined.
    public var error: DeclineReason?

    /// A resolved answer.
    public static func resolved(agents: [ResolvedAgent], waves: [[String]], actions: [PlanAction]) -> ResolveAnswer {
        ResolveAnswer(protocol: StrategyProtocol.identifier, status: .resolved, agents: agents, waves: waves, actions: actions, error: nil)
    }

    /// A declined answer.
    public static func declined(code: String, message: String) -> ResolveAnswer {
        ResolveAnswer(
            protocol: StrategyProtocol.identifier, status: .declined, agents: nil, waves: nil, actions: nil,
            error: DeclineReason(code: code, message: message)
        )
    }
}

/// An agent of the final plan, with its possibly changed scope.
public struct ResolvedAgent: Codable, Sendable, Equatable {
    public var name: String
    public var files: [String]
    public var directories: [String]
    /// The requested agents this one stands for, when a strategy merged several.
    public var mergedFrom: [String]?
    public var task: String?
    /// Entries the scope does not cover (protocol version 2); absent when none.
    public var excludes: [String]?

    public init(name: String, files: [String], directories: [String], mergedFrom: [String]? = nil, task: String? = nil, excludes: [String]? = nil) {
        self.excludes = excludes
        self.name = name
        self.files = files
        self.directories = directories
        self.mergedFrom = mergedFrom
        self.task = task
    }

    /// Every entry: files and globs, then directories.
    public var entries: [String] { files + directories }

    enum CodingKeys: String, CodingKey {
        case name, files, directories, task, excludes
        case mergedFrom = "merged_from"
    }
}

/// One step a strategy took, for people reading the plan.
public struct PlanAction: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case sequence, reassign, split, merge }

    public var kind: Kind
    public var agents: [String]
    public var entries: [String]
    public var reason: String

    public init(kind: Kind, agents: [String], entries: [String], reason: String) {
        self.kind = kind
        self.agents = agents
        self.entries = entries
        self.reason = reason
    }
}

/// Why a strategy declined: a stable code and a message.
public struct DeclineReason: Codable, Sendable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
