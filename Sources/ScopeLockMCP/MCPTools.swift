import Foundation
import MCP
import ScopeLockCore
import ScopeLockCommands
import ScopeLockProtocol

/// The operations of `RPCOperations` as MCP tools: same names, same arguments (with an `inputSchema` each).
/// A call's `structuredContent` is the result object `--json` prints, its text content the same JSON, and
/// `isError` is true exactly when `ok` is false.
enum MCPTools {
    static let tools: [Tool] = RPCOperations.all.map { operation in
        Tool(name: operation.name, description: operation.summary, inputSchema: value(RPCField.inputSchema(operation.allFields)))
    }

    /// Runs a tool call through the dispatcher. An unknown tool is a protocol error; bad arguments are a tool
    /// error whose result is the `invalid_input` object the command line prints for a usage error.
    static func call(_ params: CallTool.Parameters, dispatcher: RPCDispatcher) async throws -> CallTool.Result {
        guard RPCOperations.named[params.name] != nil else {
            throw MCPError.invalidParams("unknown tool \(params.name.debugDescription): use one of \(RPCOperations.all.map(\.name).joined(separator: ", "))")
        }
        let arguments = params.arguments ?? [:]
        let message = try JSONEncoder().encode(["params": Value.object(arguments)])
        switch await dispatcher.call(params.name, params: RPCParams(message: message, names: arguments.keys.sorted())) {
        case .success(let answer):
            return try result(answer.json, ok: answer.ok)
        case .failure(let error):
            return try result(Output.jsonLine(Outcome<ScopeLockCore.Empty>(error: ErrorInfo(.invalidInput, error.message))), ok: false)
        }
    }

    private static func result(_ json: String, ok: Bool) throws -> CallTool.Result {
        let structured: Value? = try JSONDecoder().decode(Value.self, from: Data(json.utf8))
        return CallTool.Result(content: [.text(text: json, annotations: nil, _meta: nil)], structuredContent: structured, isError: !ok)
    }

    /// A JSON value as the SDK's `Value`.
    private static func value(_ json: JSONValue) -> Value {
        (try? JSONDecoder().decode(Value.self, from: JSONCoding.encoder().encode(json))) ?? .object([:])
    }
}
