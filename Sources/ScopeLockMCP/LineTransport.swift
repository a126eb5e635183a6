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
/// - the output carries the SDK's messages and nothing else, one line each.
actor LineTransport: Transport {
    nonisolated let logger = Logger(label: "scopelock.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })

    private let input: Int32
    private let lineLimit: Int
    private let output: SerialLineWriter
    private let pending = PendingRequests()
    private let messages: AsyncThrowingStream<Data, any Swift.Error>
    private let continuation: AsyncThrowingStream<Data, any Swift.Error>.Continuation
    private var started = false

    init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, lineLimit: Int = LineReader.requestLimit) {
        self.input = input
        self.lineLimit = lineLimit
        self.output = SerialLineWriter(fileDescriptor: output)
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {
        guard !started else { return }
        started = true
        let (input, lineLimit, pending, continuation, output) = (input, lineLimit, pending, continuation, output)
        Thread {
            var reader = LineReader(fileDescriptor: input, limit: lineLimit)
            while let line = try? reader.next() {
                switch line {
                case .tooLong:
                    let error = RPCError.invalidRequest("invalid request: the line is longer than \(lineLimit) bytes; it was skipped")
                    output.write(RPCResponse.failure(id: .null, error: error))
                case .text(let text):
                    guard text.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
                    pending.note(request: text)
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
        pending.note(answer: data)
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

/// The ids of the requests read and neither answered nor cancelled yet, so that end of input can wait for them.
final class PendingRequests: Sendable {
    private let ids = Mutex<Set<String>>([])
    private let drained = NSCondition()

    /// Remembers the requests a line holds, and forgets the ones a cancellation names.
    func note(request line: Data) {
        for message in Self.messages(line) {
            if case .string(let method)? = message.value["method"] {
                if let id = message.id {
                    ids.withLock { _ = $0.insert(id) }
                } else if method == "notifications/cancelled", case .object(let params)? = message.value["params"],
                          let id = params["requestId"] {
                    forget(Self.canonical(id))
                }
            }
        }
    }

    /// Forgets the requests a line of answers answers.
    func note(answer line: Data) {
        for message in Self.messages(line) where message.value["method"] == nil {
            if let id = message.id { forget(id) }
        }
    }

    /// Blocks until every request remembered is answered or cancelled.
    func waitUntilEmpty() {
        drained.lock()
        while !ids.withLock({ $0.isEmpty }) { drained.wait() }
        drained.unlock()
    }

    private func forget(_ id: String) {
        drained.lock()
        ids.withLock { _ = $0.remove(id) }
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
