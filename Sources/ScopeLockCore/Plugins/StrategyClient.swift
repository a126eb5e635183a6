import Foundation
import ScopeLockProtocol

/// Speaks `scopelock.strategy/1` or `/2` to one plugin: encodes the request, runs the plugin, and decodes its answer,
/// checking that it is exactly one JSON object of this protocol before reading it as the expected type.
/// Whether a resolved plan is sound is the planner's business, not this type's.
public struct StrategyClient: Sendable {
    /// The plugin command: its executable, then any fixed arguments.
    public let argv: [String]
    /// Spawns the plugin and enforces the deadline and output limit.
    public let runner: PluginRunner
    /// The folder the plugin runs in; nil keeps the host's.
    public let workingDirectory: String?

    /// A client for the plugin `argv` (an absolute path, or a name looked up on `PATH`, then fixed arguments).
    public init(argv: [String], runner: PluginRunner, workingDirectory: String? = nil) {
        self.argv = argv
        self.runner = runner
        self.workingDirectory = workingDirectory
    }

    /// Asks the plugin who it is (`describe`).
    public func describe() async throws(ErrorInfo) -> StrategyDescription {
        try await exchange(verb: "describe", request: DescribeRequest(), answer: StrategyDescription.self, accepting: StrategyProtocol.supported)
    }

    /// Asks the plugin to resolve the conflicts in `request`; a `declined` answer is returned as it is.
    public func resolve(_ request: ResolveRequest) async throws(ErrorInfo) -> ResolveAnswer {
        try await exchange(verb: "resolve", request: request, answer: ResolveAnswer.self, accepting: [request.protocol])
    }

    /// The request `describe` sends: the protocol only, always version 1, which every plugin reads.
    private struct DescribeRequest: Encodable {
        let `protocol` = StrategyProtocol.version1
    }

    private var name: String { PluginRunner.displayName(of: argv.first ?? "") }

    private func exchange<Answer: Decodable>(
        verb: String, request: some Encodable, answer: Answer.Type, accepting versions: [String]
    ) async throws(ErrorInfo) -> Answer {
        let input: Data
        do {
            input = try JSONCoding.encoder().encode(request)
        } catch {
            throw ErrorInfo(.pluginError, "cannot encode the \(verb) request for plugin \(name): \(error)", file: argv.first)
        }
        let output = try await runner.run(
            argv, verb: verb, input: input, workingDirectory: workingDirectory, protocol: versions.count == 1 ? versions[0] : StrategyProtocol.version1
        )
        return try decode(Answer.self, from: output, verb: verb, accepting: versions)
    }

    /// Decodes the plugin's stdout: one JSON object, the protocol first, then the whole answer.
    func decode<Answer: Decodable>(
        _ type: Answer.Type, from output: Data, verb: String, accepting versions: [String] = [StrategyProtocol.identifier]
    ) throws(ErrorInfo) -> Answer {
        func failure(_ message: String) -> ErrorInfo {
            ErrorInfo(.pluginError, "plugin \(name) \(message)", file: argv.first)
        }
        guard output.contains(where: { !StrategyClient.isWhitespace($0) }) else {
            throw failure("answered nothing to \(verb) on stdout")
        }
        let decoder = JSONDecoder()
        // Only the protocol is read first: decoding the whole answer as a `JSONValue` tree just to find it cost more
        // than decoding the answer itself.
        let header: ProtocolField
        do {
            header = try decoder.decode(ProtocolField.self, from: output)
        } catch DecodingError.typeMismatch {
            throw failure("answered JSON that is not one object: \(StrategyClient.snippet(output))")
        } catch {
            throw failure("answered something that is not JSON: \(StrategyClient.snippet(output))")
        }
        guard case .string(let version)? = header.protocol else {
            throw failure("answered without a \"protocol\" string; expected \"\(versions.last!)\"")
        }
        guard versions.contains(version) else {
            throw failure("answered in protocol \"\(version)\", but scopelock speaks \"\(versions.joined(separator: "\" or \""))\" here")
        }
        do {
            return try decoder.decode(Answer.self, from: output)
        } catch let error as DecodingError {
            throw failure("answered a malformed \(verb) answer: \(StrategyClient.describe(error))")
        } catch {
            throw failure("answered a malformed \(verb) answer: \(error)")
        }
    }

    /// The `protocol` field of an answer, whatever its type; decoding fails only for text that is not JSON, or
    /// JSON that is not an object.
    private struct ProtocolField: Decodable {
        let `protocol`: JSONValue?
    }

    /// A decoding error as `field agents[0].files: expected an array, found a string`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            guard !keys.isEmpty else { return "the answer" }
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return "field \(text)"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) is not \(article(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) is null or missing; expected \(article(type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)) is missing"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `a string`, `an array`, `an object`, ... for the type a decoder expected.
    private static func article(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a \(type)"
        }
    }

    /// The first 200 bytes of `data`, quoted, with control characters escaped.
    static func snippet(_ data: Data) -> String {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        var text = ""
        for scalar in head.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                text += "\\u{\(String(scalar.value, radix: 16))}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return "\"" + text + "\"" + (data.count > 200 ? "…" : "")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09
    }
}
