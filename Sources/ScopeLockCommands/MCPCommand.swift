import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Offer the lock operations as MCP tools on stdin and stdout.",
        discussion: """
        A Model Context Protocol server over stdio. Tools: acquire, release, renew, status, check, owner, overlap, \
        prune, clear, plan, apply, plugins, guard, describe, with the same arguments as the params of \
        `scopelock serve` (agent is optional with --agent or SCOPELOCK_AGENT). A tool's structuredContent is the \
        object the command prints with --json, as its outputSchema says; isError is true exactly when ok is false. \
        The resource scopelock://status is the status result; a subscriber hears when locks change. See \
        docs/protocols.md and docs/agents.md for client configurations.

        The server is the executable scopelock-mcp, installed next to scopelock (swift build builds both); \
        this command replaces itself with it, so that no other command loads the MCP libraries.

        Example (.mcp.json):
          {"mcpServers": {"scopelock": {"command": "scopelock", "args": ["mcp", "-o", "build/workflow"]}}}
        """
    )

    /// The server executable's name.
    static let serverName = "scopelock-mcp"

    @OptionGroup var options: ServerOptions

    @Option(help: ArgumentHelp("The agent every tool acts for when its arguments name none (default: SCOPELOCK_AGENT).", valueName: "name"))
    var agent: String?

    func run() throws {
        guard let directory = PluginLocator.runningExecutableDirectory else {
            throw Self.failure("cannot find the folder of the running scopelock (/proc/self/exe) to start \(Self.serverName)")
        }
        let server = directory + "/" + Self.serverName
        guard access(server, X_OK) == 0 else {
            throw Self.failure(
                "\(server) is missing or not executable; scopelock mcp runs it: build it with "
                    + "`swift build --product \(Self.serverName)` and keep it next to scopelock"
            )
        }
        // Everything after the `mcp` subcommand goes to the server as it was given.
        let all = CommandLine.arguments
        let rest = all.firstIndex(of: "mcp").map { Array(all[($0 + 1)...]) } ?? []
        let argv = ([server] + rest).map { strdup($0) } + [nil]
        execv(server, argv)
        throw Self.failure("cannot start \(server): \(String(cString: strerror(errno)))")
    }

    /// Says what went wrong on stderr; the exit code is io_error's.
    private static func failure(_ message: String) -> ExitCode {
        let error = ErrorInfo(.ioError, message)
        Output.printError(Output.describe(error))
        return ExitCode(error.code.exitCode)
    }
}
