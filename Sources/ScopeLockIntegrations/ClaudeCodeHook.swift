import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// `scopelock hook claude-code`: the lock rules applied to Claude Code's tool calls (interface.md section 9).
///
/// - `PreToolUse` of a file-writing tool: a path inside the agent's active lock is allowed; one under another
///   agent's active exclusive lock is denied with who holds it, until when, and what to do; a path no lock covers
///   is claimed (with `claim`: the agent's lock is extended to the file, as `acquire --add`) or denied as outside
///   the agent's lock. Paths outside the root and other tools are allowed untouched.
/// - `SessionEnd`, and `Stop` with `releaseOnStop`: the agent's lock is released.
///
/// Claude Code blocks a tool call when a hook exits 2, and shows the hook's stderr to the model as the reason;
/// exit 0 lets the call go on; any other status is an error shown to the user that blocks nothing.
public struct ClaudeCodeHook: Sendable {
    public struct Options: Sendable {
        /// `--agent`; nil: `SCOPELOCK_AGENT`, else `claude-` and the first 12 characters of the session id.
        public var agent: String?
        public var claim: Bool
        public var releaseOnStop: Bool
        public var environment: [String: String]
        /// The process a claimed lock lives with (the agent's process); nil: none, the lock lives by its TTL.
        public var holder: Int32?

        public init(agent: String? = nil, claim: Bool = false, releaseOnStop: Bool = false, environment: [String: String], holder: Int32? = nil) {
            self.agent = agent
            self.claim = claim
            self.releaseOnStop = releaseOnStop
            self.environment = environment
            self.holder = holder
        }
    }

    /// The hook's answer: its exit status and what it says on stderr.
    public struct Verdict: Sendable, Equatable {
        public let exitCode: Int32
        public let message: String?

        public static let allow = Verdict(exitCode: 0, message: nil)
        /// Blocks the tool call; Claude Code shows `reason` to the model.
        public static func deny(_ reason: String) -> Verdict { Verdict(exitCode: 2, message: reason) }
        /// Lets the call go on, with a note for the user.
        public static func warn(_ note: String) -> Verdict { Verdict(exitCode: 0, message: note) }
    }

    /// The agent's name by the rules of `Options.agent`; nil when none can be made.
    public static func agentName(_ input: ClaudeCodeHookInput, options: Options) -> String? {
        if let agent = options.agent, !agent.isEmpty { return agent }
        if let agent = options.environment["SCOPELOCK_AGENT"], !agent.isEmpty { return agent }
        guard let session = input.sessionID, !session.isEmpty else { return nil }
        return "claude-" + session.prefix(12)
    }

    public static func handle(_ input: ClaudeCodeHookInput, options: Options) async -> Verdict {
        let releases = input.event == "SessionEnd" || (input.event == "Stop" && options.releaseOnStop)
        guard input.writesFile || releases else { return .allow }
        guard let agent = agentName(input, options: options) else {
            return .warn("scopelock hook: no agent name (give --agent, set SCOPELOCK_AGENT, or send session_id); nothing checked")
        }
        do throws(ErrorInfo) {
            try AgentName.validate(agent)
        } catch {
            return .warn("scopelock hook: \(error.message); nothing checked")
        }
        let place = HookWorkspace(cwd: input.cwd ?? FileManager.default.currentDirectoryPath, environment: options.environment)
        if releases {
            let outcome = place.workspace.release(ReleaseRequest(agent: agent))
            if let error = outcome.error, error.code != .notFound {
                return .warn("scopelock hook: could not release \(agent)'s lock: \(error.message)")
            }
            return .allow
        }
        guard let file = input.filePath, let relative = place.relative(file) else { return .allow }
        return await decide(agent: agent, path: relative, in: place.workspace, options: options)
    }

    /// The verdict on `agent` writing `path` (relative to the root).
    static func decide(agent: String, path: String, in workspace: Workspace, options: Options) async -> Verdict {
        let entry = HookWorkspace.literal(path)
        let owned = workspace.owner(OwnerRequest(paths: [entry]))
        guard let owners = owned.value?.paths.first?.owners else {
            let message = owned.error?.message ?? "no answer"
            return .deny("scopelock: cannot tell who holds \(path): \(message). Fix the lock folder (see `scopelock status`), then retry.")
        }
        if owners.contains(where: { $0.agent == agent }) { return .allow }
        if let holder = owners.first(where: { $0.mode == .exclusive }) {
            return .deny(
                "scopelock: blocked: \(path) is locked by agent \(holder.agent) (entry \(holder.entry), exclusive) until \(holder.expiresAt). "
                    + "Do not edit it. Work on files inside your own lock (agent \(agent); `scopelock status` lists the locks), "
                    + "or ask \(holder.agent) to release it; to wait for it: `scopelock acquire \(agent) \(shellQuoted(path)) --add --wait 10m`."
            )
        }
        guard options.claim else {
            return .deny(
                "scopelock: blocked: \(path) is outside your lock (agent \(agent)). Take it first with "
                    + "`scopelock acquire \(agent) \(shellQuoted(path)) --add` (or the acquire tool of the scopelock MCP server), then retry the edit."
            )
        }
        let claimed = await claim(entry, agent: agent, in: workspace, holder: options.holder)
        if let error = claimed.error {
            let holders = (error.conflicts ?? []).map { "\($0.agent) (entry \($0.held), until \($0.expiresAt ?? "-"))" }
            return .deny(
                "scopelock: blocked: could not claim \(path) for agent \(agent): "
                    + (holders.isEmpty ? error.message : "held by " + holders.joined(separator: ", "))
                    + ". Do not edit it; work inside your own lock or ask the holder to release it."
            )
        }
        return .allow
    }

    /// Extends the agent's lock to `entry`, all or nothing, as `acquire --add`: its token, expiry, task and
    /// excludes stay. The lock lives with `holder` (the agent's process): once that is gone, the lock is dead.
    static func claim(_ entry: String, agent: String, in workspace: Workspace, holder: Int32?) async -> Outcome<AcquireResult> {
        await workspace.acquire(AcquireRequest(agent: agent, entries: [entry], task: "editing through Claude Code", add: true, pid: holder))
    }

    private static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
