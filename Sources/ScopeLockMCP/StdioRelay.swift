#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScopeLockCommands
import ScopeLockProtocol
import Synchronization

/// Carries `mcp`'s stdin and stdout to the MCP SDK's stdio transport through two pipes, on two threads, so that
/// - an input line longer than the limit never reaches the SDK (which would buffer it whole); it is answered
///   with an invalid-request error and skipped, as `serve` does;
/// - at end of input the session ends only once every request read has been answered: the SDK answers each
///   request in a task of its own, and closing its input at once would cut the last answers off;
/// - stdout carries the SDK's messages and nothing else, one line each.
final class StdioRelay: Sendable {
    /// The pipe the SDK reads requests from (its read end) and the relay writes them to.
    private let toServer: (read: Int32, write: Int32)
    /// The pipe the SDK writes answers to and the relay reads them from.
    private let fromServer: (read: Int32, write: Int32)
    private let lineLimit: Int
    private let stdout = Mutex(LineWriter(fileDescriptor: STDOUT_FILENO))
    private let state = Mutex(State())

    private struct State {
        /// Ids (as compact JSON) of the requests read and not yet answered.
        var pending: Set<String> = []
        var outputDone = false
    }

    init(lineLimit: Int) throws {
        toServer = try Self.makePipe()
        fromServer = try Self.makePipe()
        self.lineLimit = lineLimit
    }

    /// The descriptor the SDK's transport reads from.
    var serverInput: Int32 { toServer.read }
    /// The descriptor the SDK's transport writes to.
    var serverOutput: Int32 { fromServer.write }

    /// Starts relaying stdin to the SDK and the SDK's answers to stdout. At end of stdin, once every request has
    /// been answered, the SDK's input is closed, which ends its session.
    func start() {
        Thread { self.relayInput() }.start()
        Thread { self.relayOutput() }.start()
    }

    /// Waits, once the SDK's session is over, for its last answers to reach stdout.
    func finish() async {
        close(fromServer.write)
        while !state.withLock({ $0.outputDone }) {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private func relayInput() {
        var reader = LineReader(fileDescriptor: STDIN_FILENO, limit: lineLimit)
        let server = LineWriter(fileDescriptor: toServer.write)
        reading: while let line = try? reader.next() {
            switch line {
            case .tooLong:
                let error = RPCError.invalidRequest("invalid request: the line is longer than \(lineLimit) bytes; it was skipped")
                emit(RPCResponse.failure(id: .null, error: error))
            case .text(let text):
                note(request: text)
                // The SDK's session is over (its input is closed): nothing more will be answered.
                guard (try? server.write(String(decoding: text, as: UTF8.self))) != nil else { break reading }
            }
        }
        while !state.withLock({ $0.pending.isEmpty }) { usleep(5000) }
        close(toServer.write)
    }

    private func relayOutput() {
        var reader = LineReader(fileDescriptor: fromServer.read, limit: Int.max)
        while let line = try? reader.next() {
            guard case .text(let text) = line else { continue }
            emit(String(decoding: text, as: UTF8.self))
            note(answer: text)
        }
        state.withLock { $0.outputDone = true }
    }

    /// Writes one line to stdout; a stdout that is gone ends the process.
    private func emit(_ line: String) {
        do {
            try stdout.withLock { try $0.write(line) }
        } catch {
            Output.printError("scopelock mcp: cannot write to stdout: \(error.localizedDescription)")
            exit(ErrorCode.ioError.exitCode)
        }
    }

    /// Remembers the requests a line holds, and forgets the ones a cancellation names.
    private func note(request line: Data) {
        for message in Self.messages(line) {
            if message["method"] != nil, let id = message["id"] {
                state.withLock { _ = $0.pending.insert(Self.key(id)) }
            } else if message["method"] == .string("notifications/cancelled"),
                      case .object(let params)? = message["params"], let id = params["requestId"] {
                state.withLock { _ = $0.pending.remove(Self.key(id)) }
            }
        }
    }

    /// Forgets the requests a line of answers answers.
    private func note(answer line: Data) {
        for message in Self.messages(line) where message["method"] == nil {
            if let id = message["id"] { state.withLock { _ = $0.pending.remove(Self.key(id)) } }
        }
    }

    /// The JSON-RPC messages of a line: one object, or the objects of a batch.
    private static func messages(_ line: Data) -> [[String: JSONValue]] {
        switch try? JSONDecoder().decode(JSONValue.self, from: line) {
        case .object(let object)?: return [object]
        case .array(let items)?: return items.compactMap { if case .object(let object) = $0 { object } else { nil } }
        default: return []
        }
    }

    private static func key(_ id: JSONValue) -> String { (try? JSONCoding.line(id)) ?? "" }

    /// A pipe whose ends are not inherited by child processes (plugins, git).
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}
