/// The `error` object of a failed result: a stable code, a message saying what to do, and details.
public struct ErrorInfo: Error, Codable, Sendable, Hashable {
    public let code: ErrorCode
    public let message: String
    /// The overlaps that refused the request (`conflict`).
    public var conflicts: [ConflictInfo]?
    /// The changed paths that broke the locks (`guard_violation`).
    public var violations: [GuardViolation]?
    /// The file at fault (`invalid_lock`, `io_error`, `unsafe_directory`, manifests).
    public var file: String?
    /// The entry at fault (`invalid_input`).
    public var entry: String?
    /// 0-based character position inside `entry`, where known.
    public var position: Int?
    /// The agent concerned.
    public var agent: String?
    /// The agents concerned, where there are several (`clear` refused by active locks).
    public var agents: [String]?
    /// 1-based line in `file` (manifests).
    public var line: Int?
    /// 1-based column in `file` (manifests).
    public var column: Int?

    public init(
        _ code: ErrorCode, _ message: String, conflicts: [ConflictInfo]? = nil, file: String? = nil,
        entry: String? = nil, position: Int? = nil, agent: String? = nil
    ) {
        self.code = code
        self.message = message
        self.conflicts = conflicts
        self.file = file
        self.entry = entry
        self.position = position
        self.agent = agent
    }
}

extension ErrorInfo: CustomStringConvertible {
    public var description: String { "\(code.rawValue): \(message)" }
}
