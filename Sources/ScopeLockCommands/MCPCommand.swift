import ArgumentParser
import MCP
import ScopeLockCore

struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Offer the lock operations as MCP tools on stdin and stdout.",
        discussion: """
        A Model Context Protocol server over stdio. Tools: acquire, release, renew, status, check, owner, overlap, \
        prune, clear, plan, apply, plugins, guard, describe, with the same arguments as the params of \
        `scopelock serve`. A tool's structuredContent is the object the command prints with --json; isError is \
        true exactly when ok is false. See docs/protocols.md for a client configuration.

        Example (.mcp.json):
          {"mcpServers": {"scopelock": {"command": "scopelock", "args": ["mcp", "-o", "build/workflow"]}}}
        """
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let dispatcher = RPCDispatcher(defaults: options.defaults)
        let relay = try StdioRelay(lineLimit: ServeCommand.lineLimit)
        let server = Server(
            name: "scopelock", version: ScopeLockCommand.version, title: "scopelock",
            instructions: "Take a lock (acquire) on the files, directories/ and globs you will edit before editing them; release it when done.",
            capabilities: .init(tools: .init(listChanged: false))
        )
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: MCPTools.tools) }
        await server.withMethodHandler(CallTool.self) { params in try await MCPTools.call(params, dispatcher: dispatcher) }
        try await server.start(transport: StdioTransport(input: .init(rawValue: relay.serverInput), output: .init(rawValue: relay.serverOutput)))
        relay.start()
        await server.waitUntilCompleted()
        await relay.finish()
    }
}
