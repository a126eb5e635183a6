#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import MCP
import ScopeLockCommands
import ScopeLockProtocol
import Synchronization

/// The MCP stdio transport of `scopelock mcp`, behind the SDK's own `Transport` protocol: newline-delimited
/// JSON-RPC on two file descriptors, with blocking reads on a thread of its own and blocking writes, so that a
/// message is handed on the moment it is complete (the SDK's `StdioTransport` polls a non-blocking descriptor
/// with a 10 ms sleep, which caps a sequential client at about a hundred calls a second). Besides:
/// - an input line longer than the limit never reaches the SDK (which would buffer it whole); it is answered
///   with an invalid-request error and skipped, as `serve` does;
/// - at end of input the session ends only once every request read has been answered or cancelled: the SDK
///   answers each request in a task of its own, and ending at once would cut the last answers off;
/// - the output carries the SDK's messages and nothing else, one line each;
/// - a `tools/call` of a known tool, once the session is initialized, is answered here without the SDK
///   (`fastPath`): the SDK decodes every string of a message through a regular expression it compiles anew
///   each time (its data-URL check), which costs more than the operation; everything else — initialize,
///   tools/list, resources, ping, unknown tools — goes to the SDK;
/// - the answer to a request the client has cancelled is never sent (the SDK sends it when the cancellation
///   arrives after the handler has finished), and what the call did is undone (`dropped`).
actor LineTransport: Transport {
    nonisolated let logger = Logger(label: "scopelock.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })

    private let input: Int32
    private let lineLimit: Int
    private let output: SerialLineWriter
    private let pending = PendingRequests()
    private let messages: AsyncThrowingStream<Data, any Swift.Error>
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    private var started = false
    /// Undoes the work of a call whose answer was dropped because the client cancelled it: the tool's name and the
    /// answer (a JSON-RPC response object).
    private let dropped: @Sendable (ToolCall, [String: JSONValue]) async -> Void
    /// Answers a request line without the SDK, once the session is initialized: the work that makes the answer
    /// line, or nil to hand the line to the SDK.
    private let fastPath: @Sendable (Data) -> (@Sendable () async -> Data)?

    init(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, lineLimit: Int = LineReader.requestLimit,
        fastPath: @escaping @Sendable (Data) -> (@Sendable () async -> Data)? = { _ in nil },
        dropped: @escaping @Sendable (ToolCall, [String: JSONValue]) async -> Void = { _, _ in }
    ) {
        self.fastPath = fastPath
        self.dropped = dropped
        self.input = input
        self.lineLimit = lineLimit
        self.output = SerialLineWriter(fileDescriptor: output)
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !started else { return }
        started = true
        let (input, lineLimit, pending, continuation, output, fastPath) = (input, lineLimit, pending, continuation, output, fastPath)
        Thread {
            var reader = LineReader(fileDescriptor: input, limit: lineLimit)
            var initialized = false
            while let line = try? reader.next() {
                switch line {
                case .tooLong:
                    let error = RPCError.invalidRequest("invalid request: the line is longer than \(lineLimit) bytes; it was skipped")
                    output.write(RPCResponse.failure(id: .null, error: error))
                case .text(let text):
                    guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
                    let message = pending.note(request: text)
                    if initialized, let id = message?.id, let work = fastPath(text) {
                        pending.run(id) { await self.send(await work(), answering: id) }
                        continue
                    }
                    if message?.method == "notifications/initialized" { initialized = true }
                    continuation.yield(text)
                }
            }
            pending.waitUntilEmpty()
            continuation.finish()
        }.start()
    }

    func disconnect() async {
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        await send(data, verdict: pending.note(answer: data))
    }

    /// Sends the answer to the request `key` alone (the fast path's), unless it was cancelled.
    private func send(_ data: Data, answering key: String) async {
        await send(data, verdict: pending.note(answerTo: key, line: data))
    }

    /// Writes `data`, or, for a cancelled request, undoes its work instead.
    private func send(_ data: Data, verdict: PendingRequests.Verdict) async {
        guard verdict.send else {
            // The request was cancelled after its work was done: no answer, and its work is undone.
            if let call = verdict.droppedCall, let answer = verdict.answer { await dropped(call, answer) }
            return
        }
        output.write(String(decoding: data, as: UTF8.self))
    }

    func receive() -> AsyncThrowingStream<Data, any Swift.Error> { messages }

}

/// Whole lines to one descriptor, one writer at a time; an output that is gone ends the process, as nobody is
/// left to answer.
final class SerialLineWriter: Sendable {
    private let writer: Mutex<LineWriter>

    init(fileDescriptor: Int32) {
        writer = Mutex(LineWriter(fileDescriptor: fileDescriptor))
    }

    func write(_ line: String) {
        do {
            try writer.withLock { try $0.write(line) }
        } catch {
            Output.printError("scopelock mcp: cannot write to stdout: \(error.localizedDescription)")
            exit(ErrorCode.ioError.exitCode)
        }
    }
}

/// A request's method, as far as undoing it goes: the tool a `tools/call` names ("" for other methods), and its arguments.
struct ToolCall: Sendable {
    let tool: String
    let arguments: [String: JSONValue]
}

/// The requests read and not answered yet (with the tool each `tools/call` names), so that end of input can wait
/// for them, and the ones the client cancelled, whose answers must not be sent.
final class PendingRequests: Sendable {
    private struct State {
        /// Id → the tool call (an empty one for other methods).
        var pending: [String: ToolCall] = [:]
        /// Cancelled requests still running: their answers are dropped.
        var cancelled: [String: ToolCall] = [:]
        /// The tasks answering requests here (the fast path), cancelled with their request.
        var tasks: [String: Task<Void, Never>] = [:]
    }

    /// Runs `work` for the request with id `key` (as `note(request:)` returned it), in a task that a
    /// cancellation of that request cancels (a waiting acquire then leaves the queue).
    func run(_ key: String, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            let task = Task {
                await work()
                self.state.withLock { _ = $0.tasks.removeValue(forKey: key) }
            }
            if state.pending[key] != nil { state.tasks[key] = task }
        }
    }

    private let state = Mutex(State())
    private let drained = NSCondition()

    /// Remembers the requests a line holds, and the cancellations it brings (cancelling their running tasks);
    /// returns the method and request id of a line that holds one message.
    @discardableResult
    func note(request line: Data) -> (method: String, id: String?)? {
        let messages = Self.messages(line)
        for message in messages {
            guard case .string(let method)? = message.value["method"] else { continue }
            if let id = message.id {
                var call = ToolCall(tool: "", arguments: [:])
                if method == "tools/call", case .object(let params)? = message.value["params"], case .string(let name)? = params["name"] {
                    var arguments: [String: JSONValue] = [:]
                    if case .object(let given)? = params["arguments"] { arguments = given }
                    call = ToolCall(tool: name, arguments: arguments)
                }
                state.withLock { $0.pending[id] = call }
            } else if method == "notifications/cancelled", case .object(let params)? = message.value["params"], let id = params["requestId"] {
                let key = Self.canonical(id)
                change { state in
                    if let call = state.pending.removeValue(forKey: key) { state.cancelled[key] = call }
                    state.tasks.removeValue(forKey: key)?.cancel()
                }
            }
        }
        if messages.count == 1, case .string(let method)? = messages[0].value["method"] { return (method, messages[0].id) }
        return nil
    }

    /// Whether an outgoing line may be sent: false for the answer to a cancelled request (then `tool` names the
    /// tool it called, "" for another method). Forgets the requests the line answers.
    func note(answer line: Data) -> Verdict {
        var verdict = Verdict(send: true)
        for message in Self.messages(line) where message.value["method"] == nil {
            guard let id = message.id else { continue }
            let answered = note(answerTo: id, line: line)
            if !answered.send { verdict = Verdict(send: false, droppedCall: answered.droppedCall, answer: message.value) }
        }
        return verdict
    }

    /// `note(answer:)` for a line known to answer the request `key` alone (as `note(request:)` returned it): the
    /// line is read only when that request was cancelled.
    func note(answerTo key: String, line: Data) -> Verdict {
        var cancelled: ToolCall?
        change { state in
            state.pending.removeValue(forKey: key)
            cancelled = state.cancelled.removeValue(forKey: key)
        }
        guard let cancelled else { return Verdict(send: true) }
        return Verdict(send: false, droppedCall: cancelled, answer: Self.messages(line).first?.value)
    }

    /// What `note(answer:)` says of an outgoing line.
    struct Verdict: Sendable {
        let send: Bool
        var droppedCall: ToolCall?
        var answer: [String: JSONValue]?
    }

    /// Blocks until every request remembered is answered or cancelled.
    func waitUntilEmpty() {
        drained.lock()
        while !state.withLock({ $0.pending.isEmpty }) { drained.wait() }
        drained.unlock()
    }

    private func change(_ body: (inout State) -> Void) {
        drained.lock()
        state.withLock { body(&$0) }
        drained.broadcast()
        drained.unlock()
    }

    /// The messages of a line (one object, or the objects of a batch), each with its id in a canonical form.
    private static func messages(_ line: Data) -> [(value: [String: JSONValue], id: String?)] {
        guard let value = try? JSONParser.parse([UInt8](line)) else { return [] }
        let objects: [[String: JSONValue]] = switch value {
        case .object(let object): [object]
        case .array(let items): items.compactMap { if case .object(let object) = $0 { object } else { nil } }
        default: []
        }
        return objects.map { ($0, $0["id"].map(canonical)) }
    }

    /// One spelling of an id, whichever way a side wrote it (`1` and `1.0` are the same number).
    private static func canonical(_ id: JSONValue) -> String {
        switch id {
        case .string(let text): "s:" + text
        case .number(let number): "n:\(number)"
        default: "x"
        }
    }
}
