import Foundation
import MCP
import ScopeLockCore
import ScopeLockCommands
import ScopeLockProtocol

/// The operations of `RPCOperations` as MCP tools: same names, same arguments (with an `inputSchema` each), an
/// `outputSchema` (the result schema from `schemas/`, self-contained) and `annotations` saying which tools only
/// read. A call's `structuredContent` is the result object `--json` prints, its text content the same JSON, and
/// `isError` is true exactly when `ok` is false.
struct MCPTools: Sendable {
    /// The agent a call acts for when its arguments name none (`--agent`, `SCOPELOCK_AGENT`).
    let defaultAgent: String?
    let dispatcher: RPCDispatcher
    /// Calls still running, so that the server does not end while one is cleaning up after a cancellation.
    let inFlight = InFlightCalls()

    /// Tools that change no lock: clients may run them without asking.
    static let readOnly: Set<String> = ["status", "check", "owner", "overlap", "plan", "plugins", "describe", "where"]
    /// Tools that can remove other agents' locks (`clear`, and `release` with `force`).
    static let destructive: Set<String> = ["clear", "release"]
    /// Tools whose success changes the locks folder.
    static let changing: Set<String> = ["acquire", "release", "renew", "prune", "clear", "apply"]

    var tools: [Tool] {
        RPCOperations.all.map { operation in
            Tool(
                name: operation.name,
                description: operation.summary,
                inputSchema: Self.value(RPCField.inputSchema(operation.allFields, optional: defaultAgent == nil ? [] : ["agent"])),
                annotations: Self.annotations(operation.name),
                outputSchema: OutputSchemas.json[operation.name].flatMap { try? JSONDecoder().decode(Value.self, from: Data($0.utf8)) }
            )
        }
    }

    static func annotations(_ name: String) -> Tool.Annotations {
        let readOnly = readOnly.contains(name)
        return Tool.Annotations(
            title: name,
            readOnlyHint: readOnly,
            destructiveHint: readOnly ? nil : destructive.contains(name),
            idempotentHint: readOnly ? true : nil,
            openWorldHint: false
        )
    }

    /// Runs a tool call through the dispatcher. An unknown tool is a protocol error; bad arguments are a tool
    /// error whose result is the `invalid_input` object the command line prints for a usage error.
    ///
    /// A cancelled call (`notifications/cancelled`) is not answered, and leaves no lock behind: the operation runs
    /// to its end (an `acquire` may be waiting), and a lock it granted after all is released again.
    func call(_ params: CallTool.Parameters, changed: @escaping @Sendable () async -> Void) async throws -> CallTool.Result {
        guard let operation = RPCOperations.named[params.name] else {
            throw MCPError.invalidParams("unknown tool \(params.name.debugDescription): use one of \(RPCOperations.all.map(\.name).joined(separator: ", "))")
        }
        var arguments = params.arguments ?? [:]
        if arguments["agent"] == nil, let defaultAgent, operation.allFields.contains(where: { $0.name == "agent" && $0.required }) {
            arguments["agent"] = .string(defaultAgent)
        }
        let message = try JSONEncoder().encode(["params": Value.object(arguments)])
        let request = RPCParams(message: message, names: arguments.keys.sorted())
        let dispatcher = dispatcher
        inFlight.enter()
        defer { inFlight.leave() }
        // Not a child task: the operation must not see the cancellation half way (it finishes, then is undone).
        let outcome = await Task { await dispatcher.call(params.name, params: request) }.value
        if case .success(let answer) = outcome, answer.ok, Self.changing.contains(params.name) { await changed() }
        if Task.isCancelled {
            if case .success(let answer) = outcome, answer.ok, params.name == "acquire" { await undo(answer, arguments: arguments) }
            throw CancellationError()
        }
        switch outcome {
        case .success(let answer):
            return try Self.result(answer.json, ok: answer.ok)
        case .failure(let error):
            return try Self.result(Output.jsonLine(Outcome<ScopeLockCore.Empty>(error: ErrorInfo(.invalidInput, error.message))), ok: false)
        }
    }

    /// The transport's fast path for `tools/call` (see `LineTransport`): for a request line naming a known tool,
    /// the work that answers it with the same response the SDK would send; nil for anything else.
    func fastPath(_ line: Data, changed: @escaping @Sendable () async -> Void) -> (@Sendable () async -> Data)? {
        let bytes = [UInt8](line)
        guard let (message, spans) = try? bytes.withUnsafeBufferPointer({ buffer throws(JSONParser.Failure) in try JSONParser.parseWithSpans(buffer) }),
              case .object(let members) = message, members["jsonrpc"] == .string("2.0"), members["method"] == .string("tools/call"),
              let id = members["id"], let idSpan = spans.members["id"], case .object(let params)? = members["params"],
              case .string(let name)? = params["name"], let operation = RPCOperations.named[name]
        else { return nil }
        switch id {
        case .string, .number: break
        default: return nil
        }
        var arguments: [String: JSONValue] = [:]
        switch params["arguments"] {
        case nil, .null?: break
        case .object(let given)?: arguments = given
        default: return nil
        }
        if arguments["agent"] == nil, let agent = defaultAgent, operation.allFields.contains(where: { $0.name == "agent" && $0.required }) {
            arguments["agent"] = .string(agent)
        }
        let idText = String(decoding: bytes[idSpan], as: UTF8.self)
        let tools = self
        let given = arguments
        return {
            let arguments = given
            let message = (try? JSONCoding.encoder().encode(JSONValue.object(["params": .object(arguments)]))) ?? Data()
            tools.inFlight.enter()
            defer { tools.inFlight.leave() }
            let outcome = await tools.dispatcher.call(name, params: RPCParams(message: message, names: arguments.keys.sorted()))
            let answer: RPCAnswer
            switch outcome {
            case .success(let success):
                answer = success
                if success.ok, Self.changing.contains(name) { await changed() }
            case .failure(let error):
                answer = RPCAnswer(json: Output.jsonLine(Outcome<ScopeLockCore.Empty>(error: ErrorInfo(.invalidInput, error.message))), ok: false)
            }
            let text = (try? JSONCoding.line(answer.json)) ?? "\"\""
            return Data((#"{"id":"# + idText + #","jsonrpc":"2.0","result":{"content":[{"text":"# + text + #","type":"text"}],"isError":"#
                + (answer.ok ? "false" : "true") + #","structuredContent":"# + answer.json + "}}").utf8)
        }
    }

    /// Undoes a call whose answer the transport dropped because the client had cancelled it: a granted acquire is
    /// released again. `response` is the JSON-RPC response object.
    func undo(_ call: ToolCall, response: [String: JSONValue]) async {
        guard call.tool == "acquire", case .object(let result)? = response["result"], case .object(let content)? = result["structuredContent"],
              content["ok"] == .bool(true), let json = try? JSONCoding.line(JSONValue.object(content))
        else { return }
        inFlight.enter()
        defer { inFlight.leave() }
        await undo(RPCAnswer(json: json, ok: true), arguments: call.arguments.mapValues(Self.value))
    }

    /// Releases the lock a cancelled acquire was granted, by its token (so a newer lock of the agent stays).
    private func undo(_ answer: RPCAnswer, arguments: [String: Value]) async {
        guard case .object(let result)? = try? JSONParser.parse(Array(answer.json.utf8)),
              case .object(let lock)? = result["lock"], case .string(let agent)? = lock["agent"],
              case .number(let token)? = lock["token"]
        else { return }
        var release: [String: Value] = ["agent": .string(agent), "token": .int(Int(token))]
        for name in ["output_dir", "root"] { if let value = arguments[name] { release[name] = value } }
        guard let message = try? JSONEncoder().encode(["params": Value.object(release)]) else { return }
        _ = await dispatcher.call("release", params: RPCParams(message: message, names: release.keys.sorted()))
    }

    private static func result(_ json: String, ok: Bool) throws -> CallTool.Result {
        let structured = (try? JSONParser.parse(Array(json.utf8))).map(Self.value)
        return CallTool.Result(content: [.text(text: json, annotations: nil, _meta: nil)], structuredContent: structured, isError: !ok)
    }

    /// A JSON value as the SDK's `Value`, built directly (decoding one runs every string through a regular
    /// expression).
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let value): .bool(value)
        case .number(let value): value.rounded() == value && abs(value) < 9e15 ? .int(Int(value)) : .double(value)
        case .string(let value): .string(value)
        case .array(let items): .array(items.map(value))
        case .object(let members): .object(members.mapValues(value))
        }
    }
}
