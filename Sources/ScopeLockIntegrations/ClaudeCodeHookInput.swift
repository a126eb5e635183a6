import ScopeLockProtocol

/// What Claude Code writes on a command hook's stdin (its hooks reference, "Hook input"): the fields scopelock
/// reads; every other field is ignored.
public struct ClaudeCodeHookInput: Sendable, Equatable {
    /// `PreToolUse`, `SessionEnd`, `Stop`, ...
    public let event: String
    public let sessionID: String?
    /// The session's working directory (absolute).
    public let cwd: String?
    public let toolName: String?
    /// The absolute path a file-writing tool writes: `tool_input.file_path`, or `notebook_path` for NotebookEdit.
    public let filePath: String?

    /// The tools that write files, and so need the lock.
    public static let writingTools: Set<String> = ["Edit", "Write", "MultiEdit", "NotebookEdit"]

    /// Reads the fields from the hook's JSON object; nil when it is not an object with a `hook_event_name`.
    public init?(_ value: JSONValue) {
        guard case .object(let members) = value, case .string(let event)? = members["hook_event_name"] else { return nil }
        func text(_ value: JSONValue?) -> String? { if case .string(let text)? = value { text } else { nil } }
        self.event = event
        sessionID = text(members["session_id"])
        cwd = text(members["cwd"])
        toolName = text(members["tool_name"])
        if case .object(let input)? = members["tool_input"] {
            filePath = text(input["file_path"]) ?? text(input["notebook_path"])
        } else {
            filePath = nil
        }
    }

    /// Whether this is a call of a tool that writes a file.
    public var writesFile: Bool { event == "PreToolUse" && toolName.map(Self.writingTools.contains) == true }
}
