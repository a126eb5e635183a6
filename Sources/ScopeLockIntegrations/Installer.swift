import Foundation
import ScopeLockProtocol

/// What `scopelock install` writes for each tool, as file changes (nothing is written here; `FileChange.apply`
/// does that). Every merge keeps what scopelock does not own, and running it twice changes nothing the second time.
public struct Installer: Sendable {
    /// The repository root the files are written under.
    public let root: String
    /// How the tools run scopelock: `scopelock` (found on PATH) unless told otherwise.
    public let program: String
    public let agent: String?
    public let uninstall: Bool

    public init(root: String, program: String = "scopelock", agent: String? = nil, uninstall: Bool = false) {
        self.root = root
        self.program = program
        self.agent = agent
        self.uninstall = uninstall
    }

    /// The events scopelock's Claude Code hook answers, and the tools it checks.
    static let writingToolsMatcher = "Edit|Write|MultiEdit|NotebookEdit"

    // MARK: Claude Code

    /// `.claude/settings.json` (the hooks) and `.mcp.json` (the server).
    public func claudeCode(claim: Bool, releaseOnStop: Bool) throws(ErrorInfo) -> [FileChange] {
        var command = program + " hook claude-code"
        if let agent { command += " --agent " + agent }
        if claim { command += " --claim" }
        if releaseOnStop { command += " --release-on-stop" }
        let settings = root + "/.claude/settings.json"
        let before = try FileChange.current(settings)
        var document = try Self.document(before, path: settings)
        var hooks = document["hooks"] ?? .object([])
        guard case .object = hooks else { throw Self.refusal(settings, "its \"hooks\" is not an object") }
        let wanted: [(event: String, matcher: String?)] = uninstall ? [] :
            [("PreToolUse", Self.writingToolsMatcher), ("SessionEnd", nil)] + (releaseOnStop ? [("Stop", nil)] : [])
        for event in ["PreToolUse", "SessionEnd", "Stop"] {
            guard case .array(var groups) = hooks[event] ?? .array([]) else { throw Self.refusal(settings, "its hooks.\(event) is not an array") }
            groups = groups.compactMap(Self.withoutOurHandlers)
            if let entry = wanted.first(where: { $0.event == event }) {
                var group: OrderedJSON = .object([])
                if let matcher = entry.matcher { group = group.setting("matcher", .string(matcher)) }
                group = group.setting("hooks", .array([.object([("type", .string("command")), ("command", .string(command))])]))
                groups.append(group)
            }
            hooks = hooks.setting(event, groups.isEmpty ? nil : .array(groups))
        }
        if case .object(let members) = hooks, members.isEmpty { document = document.setting("hooks", nil) } else { document = document.setting("hooks", hooks) }
        let after = document.rendered()
        return [FileChange(path: settings, before: before, after: Self.unchangedIfSame(before, after, document)),
                try mcpServers(at: root + "/.mcp.json")]
    }

    /// A hook group without scopelock's handlers; nil when nothing else was in it.
    static func withoutOurHandlers(_ group: OrderedJSON) -> OrderedJSON? {
        guard case .array(let handlers)? = group["hooks"] else { return group }
        let kept = handlers.filter { handler in
            guard case .string(let command)? = handler["command"] else { return true }
            return !command.contains(" hook claude-code")
        }
        if kept.count == handlers.count { return group }
        return kept.isEmpty ? nil : group.setting("hooks", .array(kept))
    }

    // MARK: MCP clients

    /// The server entry every MCP client takes: `{"command", "args"}`.
    var serverEntry: OrderedJSON {
        .object([("command", .string(program)), ("args", .array((["mcp"] + (agent.map { ["--agent", $0] } ?? [])).map(OrderedJSON.string)))])
    }

    /// A JSON file with `mcpServers` (Claude Code's `.mcp.json`, Cursor's `.cursor/mcp.json`): the `scopelock` entry set or removed.
    public func mcpServers(at path: String) throws(ErrorInfo) -> FileChange {
        let before = try FileChange.current(path)
        var document = try Self.document(before, path: path)
        var servers = document["mcpServers"] ?? .object([])
        guard case .object = servers else { throw Self.refusal(path, "its \"mcpServers\" is not an object") }
        servers = servers.setting("scopelock", uninstall ? nil : serverEntry)
        if case .object(let members) = servers, members.isEmpty { document = document.setting("mcpServers", nil) } else { document = document.setting("mcpServers", servers) }
        if uninstall, before != nil, case .object(let members) = document, members.isEmpty {
            return FileChange(path: path, before: before, after: nil)
        }
        if uninstall, before == nil { return FileChange(path: path, before: nil, after: nil) }
        return FileChange(path: path, before: before, after: Self.unchangedIfSame(before, document.rendered(), document))
    }

    /// Codex's `config.toml`: the `[mcp_servers.scopelock]` table set or removed, every other line kept.
    public func codexConfig(at path: String) throws(ErrorInfo) -> FileChange {
        let before = try FileChange.current(path)
        var lines = (before ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let header = "[mcp_servers.scopelock]"
        if let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == header }) {
            var end = start + 1
            while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix("[") { end += 1 }
            while end > start + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
            lines.removeSubrange(start..<end)
            while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        }
        if !uninstall {
            let arguments = (["mcp"] + (agent.map { ["--agent", $0] } ?? [])).map(OrderedJSON.quoted).joined(separator: ", ")
            if !lines.isEmpty { lines.append("") }
            lines += [header, "command = \(OrderedJSON.quoted(program))", "args = [\(arguments)]"]
        }
        if uninstall, before == nil { return FileChange(path: path, before: nil, after: nil) }
        if uninstall, lines.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return FileChange(path: path, before: before, after: nil) }
        return FileChange(path: path, before: before, after: lines.joined(separator: "\n") + "\n")
    }

    // MARK: git

    /// A line that marks a hook file as scopelock's.
    static let gitMarker = "# scopelock: installed by `scopelock install git`"

    /// `pre-commit` (guard the staged paths) and `pre-push` (guard what is pushed) in `hooksDirectory`; a hook
    /// already there is kept beside ours as `NAME.scopelock-chained` and run first.
    public func gitHooks(in hooksDirectory: String) throws(ErrorInfo) -> [FileChange] {
        var changes: [FileChange] = []
        for name in ["pre-commit", "pre-push"] {
            let path = hooksDirectory + "/" + name
            let chained = path + ".scopelock-chained"
            let current = try FileChange.current(path)
            let ours = current?.contains(Self.gitMarker) == true
            if uninstall {
                guard ours else { continue }
                if let previous = try FileChange.current(chained) {
                    changes.append(FileChange(path: path, before: current, after: previous, executable: true))
                    changes.append(FileChange(path: chained, before: previous, after: nil))
                } else {
                    changes.append(FileChange(path: path, before: current, after: nil))
                }
                continue
            }
            if let current, !ours {
                changes.append(FileChange(path: chained, before: try FileChange.current(chained), after: current, executable: true))
            }
            changes.append(FileChange(path: path, before: current, after: gitHook(name), executable: true))
        }
        return changes
    }

    func gitHook(_ name: String) -> String {
        let agent = self.agent.map { "${SCOPELOCK_AGENT:-\($0)}" } ?? "${SCOPELOCK_AGENT:-}"
        let check = name == "pre-commit"
            ? "exec \(program) guard \"$agent\" --staged"
            : """
            status=0
            while read -r local_ref local_sha remote_ref remote_sha; do
                case "$remote_sha" in *[!0]*) \(program) guard "$agent" --since "$remote_sha" || status=1 ;; esac
            done
            exit $status
            """
        return """
        #!/bin/sh
        \(Self.gitMarker) (take it back with `scopelock install git --uninstall`).
        # The \(name) hook that was here before, if any, runs first.
        chained="$(dirname "$0")/\(name).scopelock-chained"
        if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi
        agent="\(agent)"
        # Without an agent name (a person committing), there is no lock to check against.
        [ -n "$agent" ] || exit 0
        \(check)

        """
    }

    // MARK: helpers

    /// A settings document: `{}` for a missing or blank file; a file that is not JSON, or not an object, is refused.
    static func document(_ text: String?, path: String) throws(ErrorInfo) -> OrderedJSON {
        guard let text, text.contains(where: { !$0.isWhitespace }) else { return .object([]) }
        let document: OrderedJSON
        do {
            document = try OrderedJSON.parse(text)
        } catch {
            throw ErrorInfo(.invalidInput, "\(path):\(error.line):\(error.column): not JSON (\(error.message)); fix the file by hand, scopelock left it untouched")
        }
        guard case .object = document else { throw refusal(path, "its top level is not an object") }
        return document
    }

    static func refusal(_ path: String, _ why: String) -> ErrorInfo {
        ErrorInfo(.invalidInput, "\(path): \(why); fix the file by hand, scopelock left it untouched")
    }

    /// The new text, or the old one when the document is the same (so formatting a person chose is not redone).
    static func unchangedIfSame(_ before: String?, _ after: String, _ document: OrderedJSON) -> String {
        guard let before, let old = try? OrderedJSON.parse(before), old == document else { return after }
        return before
    }
}
