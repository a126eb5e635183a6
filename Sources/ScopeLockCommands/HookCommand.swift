import ArgumentParser
import Foundation
import ScopeLockIntegrations
import ScopeLockCore

/// `scopelock hook TOOL`: hook commands that agent tools run on their events.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Enforce the locks inside an agent tool, as a hook it runs (see docs/agents.md).",
        subcommands: [ClaudeCodeHookCommand.self]
    )
}

/// `scopelock hook claude-code`: a Claude Code command hook for PreToolUse, SessionEnd and Stop.
struct ClaudeCodeHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-code",
        abstract: "A Claude Code hook: edits outside the agent's lock are blocked.",
        discussion: """
        Reads one hook input (JSON) from stdin, as Claude Code sends it, without waiting for end of input. \
        PreToolUse of Edit, Write, MultiEdit and NotebookEdit: a file inside the agent's lock is allowed (exit 0); \
        one under another agent's exclusive lock is blocked (exit 2; stderr, which Claude sees, says who holds it, \
        until when, and what to do); a file no lock covers is claimed with --claim, else blocked as outside the \
        agent's lock. Files outside the root, and other tools, are allowed. SessionEnd (and Stop with \
        --release-on-stop) releases the agent's lock. Input that is not a hook's JSON is exit 0 with a warning: \
        a hook never breaks the session.

        The agent: --agent, else SCOPELOCK_AGENT, else claude- and the first 12 characters of the session id. \
        The root and lock folder are found from the input's cwd, as commands run there would find them. \
        `scopelock install claude-code` writes the settings that run this hook.
        """
    )

    @Option(help: ArgumentHelp("The agent whose lock the session works in.", valueName: "name")) var agent: String?
    @Flag(help: "Extend the agent's lock to a file no lock covers, instead of blocking the edit.") var claim = false
    @Flag(help: "Release the agent's lock on Stop too (end of every turn), not only on SessionEnd.") var releaseOnStop = false
    @Option(help: ArgumentHelp("How long to wait for the hook input, in seconds.", valueName: "seconds")) var inputTimeout: Double = 5

    func run() async throws {
        let read = BoundedJSONReader.read(from: STDIN_FILENO, timeout: .milliseconds(Int(CheckedNumber.clamped(inputTimeout, to: 0...3600, fallback: 5) * 1000)))
        let input: ClaudeCodeHookInput
        switch read {
        case .success(let value):
            guard let parsed = ClaudeCodeHookInput(value) else {
                return Self.say("scopelock hook: the input is not a Claude Code hook input (no hook_event_name); nothing checked")
            }
            input = parsed
        case .failure(let failure):
            let why = switch failure {
            case .incomplete(let received): "no whole JSON value arrived (\(received) bytes)"
            case .notJSON(let message): "the input is not JSON (\(message))"
            case .tooLarge(let limit): "the input is larger than \(limit) bytes"
            }
            return Self.say("scopelock hook: \(why); nothing checked")
        }
        let options = ClaudeCodeHook.Options(
            agent: agent, claim: claim, releaseOnStop: releaseOnStop,
            environment: ProcessEnvironment.current, holder: HookHolder.agentProcess()
        )
        let verdict = await ClaudeCodeHook.handle(input, options: options)
        if let message = verdict.message { Self.say(message) }
        if verdict.exitCode != 0 { throw ExitCode(verdict.exitCode) }
    }

    private static func say(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
