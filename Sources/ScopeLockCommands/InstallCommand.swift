import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockIntegrations
import ScopeLockProtocol

/// `scopelock install TOOL`: writes the hook and server configuration agent tools read.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Write the hooks and MCP server entries agent tools read (see docs/agents.md).",
        discussion: """
        Merges into the tool's own files, keeping everything else in them; running it twice changes nothing the \
        second time. --dry-run shows the change, --uninstall takes it back. A settings file that is not JSON is \
        refused (exit 2, naming the line) and left untouched.

        Example:
          scopelock install claude-code --claim      # .claude/settings.json hooks + .mcp.json server
          scopelock install git                      # pre-commit and pre-push hooks calling guard
          scopelock install mcp --client cursor      # .cursor/mcp.json
          scopelock install mcp --client codex       # ~/.codex/config.toml
        """,
        subcommands: [InstallClaudeCode.self, InstallGit.self, InstallMCP.self]
    )
}

/// Options every installer takes.
struct InstallOptions: ParsableArguments {
    @Flag(help: "Print exactly one JSON object on stdout.") var json = false
    @Flag(help: "Show what would change; write nothing.") var dryRun = false
    @Flag(help: "Take back what install wrote, keeping everything else.") var uninstall = false
    @Option(help: ArgumentHelp("The repository root to install into (default: the top of the git working tree here, else here).", valueName: "dir"))
    var root: String?
    @Option(help: ArgumentHelp("How the tool runs scopelock (default: scopelock, found on PATH).", valueName: "path")) var program = "scopelock"
    @Option(help: ArgumentHelp("The agent name the hooks or server use (default: SCOPELOCK_AGENT at run time).", valueName: "name"))
    var agent: String?

    /// The installer for `--root`, else the top of the git working tree here (where the tools read their
    /// project settings), else here.
    var installer: Installer {
        let here = FileManager.default.currentDirectoryPath
        let environment = ProcessEnvironment.current
        let root = root.map { AbsolutePathText.resolve($0, against: here) }
            ?? GitRepository.enclosing(here, environment: environment)?.workTree ?? here
        return Installer(root: root, program: program, agent: agent, uninstall: uninstall)
    }

    /// Validates, makes (unless dry-run) and reports the changes that `plan` computes.
    func finish(tool: String, _ plan: () throws(ErrorInfo) -> [FileChange]) throws {
        let outcome = Outcome<InstallResult>.catching { () throws(ErrorInfo) in
            if let agent { try AgentName.validate(agent) }
            let changes = try plan()
            if !dryRun { try FileChange.apply(changes) }
            return Outcome(InstallResult(tool: tool, dryRun: dryRun, uninstall: uninstall, files: changes.map {
                InstallResult.File(path: $0.path, action: $0.action)
            }, changes: changes))
        }
        try Output.finish(outcome, json: json) { result in
            result.changes.map { change in
                let verb = dryRun ? "would \(change.action)" : change.action == "unchanged" ? "unchanged" : change.action + "d"
                var line = "\(verb): \(change.path)"
                if dryRun, change.action == "create" || change.action == "update", let after = change.after { line += "\n" + after }
                return line
            }.joined(separator: "\n")
        }
    }
}

/// What `install` prints with `--json`.
struct InstallResult: Encodable, Sendable {
    struct File: Encodable, Sendable {
        let path: String
        /// `create`, `update`, `delete` or `unchanged`.
        let action: String
    }

    let tool: String
    let dryRun: Bool
    let uninstall: Bool
    let files: [File]
    let changes: [FileChange]

    enum CodingKeys: String, CodingKey {
        case tool, files, uninstall
        case dryRun = "dry_run"
    }
}

struct InstallClaudeCode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claude-code",
        abstract: "Add scopelock's hooks to .claude/settings.json and its MCP server to .mcp.json."
    )

    @OptionGroup var options: InstallOptions
    @Flag(help: "The hook claims files no lock covers instead of blocking edits to them.") var claim = false
    @Flag(help: "Release the agent's lock at the end of every turn (Stop), not only at SessionEnd.") var releaseOnStop = false

    func run() throws {
        let installer = options.installer
        try options.finish(tool: "claude-code") { () throws(ErrorInfo) in try installer.claudeCode(claim: claim, releaseOnStop: releaseOnStop) }
    }
}

struct InstallGit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git",
        abstract: "Install pre-commit and pre-push hooks that run `scopelock guard` (chaining hooks already there)."
    )

    @OptionGroup var options: InstallOptions

    func run() throws {
        let installer = options.installer
        try options.finish(tool: "git") { () throws(ErrorInfo) in
            guard let git = GitRepository.enclosing(installer.root, environment: ProcessEnvironment.current) else {
                throw ErrorInfo(.invalidInput, "\(installer.root) is not in a git working tree: run it there, or give --root")
            }
            // One hooks folder for every worktree of the repository: the common git directory's.
            return try installer.gitHooks(in: git.commonDirectory + "/hooks")
        }
    }
}

struct InstallMCP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Write scopelock's MCP server entry for a client: claude (.mcp.json), cursor (.cursor/mcp.json), codex (config.toml)."
    )

    @OptionGroup var options: InstallOptions
    @Option(help: ArgumentHelp("The client: claude, cursor or codex.", valueName: "name")) var client: String
    @Option(help: ArgumentHelp("The file to write (default: the client's: .mcp.json, .cursor/mcp.json, $CODEX_HOME/config.toml or ~/.codex/config.toml).", valueName: "path"))
    var config: String?

    func run() throws {
        let installer = options.installer
        let environment = ProcessEnvironment.current
        let here = FileManager.default.currentDirectoryPath
        let given = config.map { AbsolutePathText.resolve($0, against: here) }
        try options.finish(tool: "mcp") { () throws(ErrorInfo) in
            switch client {
            case "claude", "claude-code": return [try installer.mcpServers(at: given ?? installer.root + "/.mcp.json")]
            case "cursor": return [try installer.mcpServers(at: given ?? installer.root + "/.cursor/mcp.json")]
            case "codex":
                let home = environment["CODEX_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.codex"
                return [try installer.codexConfig(at: given ?? home + "/config.toml")]
            default:
                throw ErrorInfo(.invalidInput, "unknown --client \(client.debugDescription): use claude, cursor or codex")
            }
        }
    }
}

/// Absolute paths from ones relative to a folder.
enum AbsolutePathText {
    static func resolve(_ path: String, against base: String) -> String {
        ((path.hasPrefix("/") ? path : base + "/" + path) as NSString).standardizingPath
    }
}
