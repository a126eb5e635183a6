import ArgumentParser
import MCP
import ScopeLockCommands

/// The MCP server behind `scopelock mcp`, in an executable of its own (`scopelock-mcp`) so that the MCP SDK and
/// the networking libraries it links are loaded only by the process that serves MCP, not by every lock command.
public struct MCPServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scopelock-mcp",
        abstract: "The MCP server of `scopelock mcp` (run `scopelock mcp --help`).",
        version: ScopeLockCommand.version
    )

    @OptionGroup var options: ServerOptions

    public init() {}

    public func run() async throws {
        let dispatcher = RPCDispatcher(defaults: options.defaults)
        let relay = try StdioRelay(lineLimit: LineReader.requestLimit)
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
