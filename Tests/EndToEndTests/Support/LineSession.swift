import Foundation
import Subprocess
import Testing

/// A conversation with a long-running `scopelock` (`serve`, `mcp`) over pipes, one line at a time: each answer is
/// read before the next request is sent, which also proves that answers are flushed line by line.
struct LineSession {
    private let writer: StandardInputWriter
    private var iterator: SubprocessOutputSequence.Iterator
    private var pending: [UInt8] = []

    fileprivate init(writer: StandardInputWriter, output: SubprocessOutputSequence) {
        self.writer = writer
        self.iterator = output.makeAsyncIterator()
    }

    /// Writes `line` and a newline to stdin.
    func send(_ line: String) async throws {
        _ = try await writer.write(Array((line + "\n").utf8))
    }

    /// The next line of stdout, or nil once stdout is closed.
    mutating func receive() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            guard let buffer = try await iterator.next() else {
                defer { pending.removeAll() }
                return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
            }
            buffer.withUnsafeBytes { pending.append(contentsOf: $0) }
        }
    }

    /// Sends `line` and returns the next line of stdout, parsed as a JSON object.
    mutating func exchange(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        try await send(line)
        let answer = try #require(try await receive(), "stdout closed after \(line.prefix(200))", sourceLocation: sourceLocation)
        return try #require(JSON.object(answer), "not a JSON object: \(answer)", sourceLocation: sourceLocation)
    }

    /// Closes stdin, then reads stdout to its end.
    mutating func finish() async throws -> [String] {
        try await writer.finish()
        var rest: [String] = []
        while let line = try await receive() { rest.append(line) }
        return rest
    }
}

/// What a session left: the body's value, the exit status, the lines printed after stdin closed, and stderr.
struct SessionEnd<Value> {
    let value: Value
    let status: Int32
    let trailingLines: [String]
    let stderr: String
}

extension CLI {
    /// Runs `scopelock ARGUMENTS` in the scratch directory with a clean scopelock environment and lets `body` talk
    /// to it; then closes its stdin and waits for it to exit.
    func session<Value: Sendable>(
        _ arguments: [String], environment: [String: String] = [:], _ body: (inout LineSession) async throws -> Value
    ) async throws -> SessionEnd<Value> {
        var env: [Environment.Key: String?] = ["SCOPELOCK_OUTPUT_DIR": nil, "SCOPELOCK_ROOT": nil]
        for (key, value) in environment { env[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(
            .path(.init(CLI.binary)),
            arguments: .init(arguments),
            environment: .inherit.updating(env),
            workingDirectory: .init(directory),
            input: .inputWriter,
            output: .sequence,
            error: .string(limit: 1 << 20)
        ) { execution in
            var session = LineSession(writer: execution.standardInputWriter, output: execution.standardOutput)
            let value = try await body(&session)
            let rest = try await session.finish()
            return (value, rest)
        }
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        let (value, rest) = result.closureResult
        return SessionEnd(value: value, status: status, trailingLines: rest, stderr: result.standardError)
    }
}

/// JSON helpers for comparing protocol messages.
enum JSON {
    /// `text` parsed as one JSON object.
    static func object(_ text: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// `value` as compact JSON with sorted keys.
    static func text(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) else {
            return "\(value)"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with what differs between two runs of the same operation made equal: timestamps, pids, hosts,
    /// seconds left, the version, and the scratch directories named in `directories` (replaced by `<dir>`).
    static func normalized(_ value: Any, directories: [String]) -> Any {
        switch value {
        case let object as [String: Any]:
            var copy: [String: Any] = [:]
            for (key, field) in object {
                switch key {
                case "locked_at", "expires_at": copy[key] = field is String ? "<time>" : field
                case "pid", "seconds_left": copy[key] = 0
                case "version", "host": copy[key] = "<\(key)>"
                default: copy[key] = normalized(field, directories: directories)
                }
            }
            return copy
        case let array as [Any]:
            return array.map { normalized($0, directories: directories) }
        case let string as String:
            return directories.reduce(string) { $0.replacingOccurrences(of: $1, with: "<dir>") }
        default:
            return value
        }
    }
}
