import ArgumentParser
import Foundation
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

    @Option(help: ArgumentHelp("The agent every tool acts for when its arguments name none (default: SCOPELOCK_AGENT).", valueName: "name"))
    var agent: String?

    public init() {}

    public func run() async throws {
        let dispatcher = RPCDispatcher(defaults: options.defaults)
        let environmentAgent = ProcessInfo.processInfo.environment["SCOPELOCK_AGENT"].flatMap { $0.isEmpty ? nil : $0 }
        let tools = MCPTools(defaultAgent: agent ?? environmentAgent, dispatcher: dispatcher)
        let server = Server(
            name: "scopelock", version: ScopeLockCommand.version, title: "scopelock",
            instructions: "Take a lock (acquire) on the files, directories/ and globs you will edit before editing them; release it when done.",
            capabilities: .init(resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false))
        )
        let status = StatusResource(dispatcher: dispatcher, server: server)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools.tools) }
        await server.withMethodHandler(CallTool.self) { params in try await tools.call(params) { await status.changed() } }
        await status.register()
        let transport = LineTransport(
            fastPath: { line in tools.fastPath(line) { await status.changed() } },
            dropped: { call, response in await tools.undo(call, response: response) }
        )
        try await server.start(transport: transport)
        await server.waitUntilCompleted()
        await tools.inFlight.drained()
        status.stop()
    }
}
