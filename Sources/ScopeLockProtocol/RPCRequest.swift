import Foundation

/// One JSON-RPC 2.0 request or notification, as read from a line. The params are decoded later, from `message`,
/// into the request type of the method.
public struct RPCRequest: Sendable {
    public let method: String
    /// nil for a notification, which gets no answer.
    public let id: RPCID?
    /// The whole message, whose `params` member holds the params.
    public let message: Data
    /// The names of the params given (empty when `params` is absent or null).
    public let parameterNames: [String]

    /// What went wrong reading a message: the error, and the id to answer it with (null when unknown).
    public struct Failure: Error, Sendable {
        public let id: RPCID
        public let error: RPCError
        /// The message was a notification (well-formed enough to tell), so no answer is due.
        public let isNotification: Bool
    }

    /// What one line holds: a single message, or a batch (a non-empty array of them, answered with an array).
    public enum Line: Sendable {
        case single(Result<RPCRequest, Failure>)
        case batch([Result<RPCRequest, Failure>])
    }

    /// Reads one line: a parse error when it is not JSON; a batch when it is a non-empty array (an empty one is
    /// one invalid request, as JSON-RPC 2.0 says); else one message.
    public static func parseLine(_ line: Data) -> Line {
        let bytes = [UInt8](line)
        let parsed: (value: JSONValue, spans: JSONParser.Spans)
        do {
            parsed = try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in try JSONParser.parseWithSpans(buffer) }
        } catch {
            return .single(.failure(Failure(id: .null, error: .parseError("parse error: the line is not JSON"), isNotification: false)))
        }
        guard case .array(let items) = parsed.value else {
            return .single(message(parsed.value, spans: parsed.spans, bytes: bytes[...]))
        }
        guard !items.isEmpty else {
            return .single(.failure(Failure(id: .null, error: .invalidRequest("invalid request: an empty batch"), isNotification: false)))
        }
        return .batch(zip(items, parsed.spans.elements).map { item, span in
            let element = bytes[span]
            guard case .object = item,
                  let inner = try? element.withUnsafeBufferPointer({ buffer throws(JSONParser.Failure) in try JSONParser.parseWithSpans(buffer) })
            else {
                return .failure(Failure(id: .null, error: .invalidRequest("invalid request: a request is a JSON object"), isNotification: false))
            }
            return message(inner.value, spans: inner.spans, bytes: element)
        })
    }

    /// Reads one message: an invalid request when it is not a request object, invalid params when `params` is
    /// an array. `spans` locate its members in `bytes`.
    private static func message(_ value: JSONValue, spans: JSONParser.Spans, bytes: ArraySlice<UInt8>) -> Result<RPCRequest, Failure> {
        guard case .object(let members) = value else {
            return .failure(Failure(id: .null, error: .invalidRequest("invalid request: a request is a JSON object"), isNotification: false))
        }
        var id: RPCID?
        if let given = members["id"], let span = spans.members["id"] {
            let text = String(decoding: bytes[(bytes.startIndex + span.lowerBound)..<(bytes.startIndex + span.upperBound)], as: UTF8.self)
            guard let valid = RPCID.validated(json: text, value: given) else {
                return .failure(Failure(id: .null, error: .invalidRequest("invalid request: id must be a string, a number or null"), isNotification: false))
            }
            id = valid
        }
        func invalid(_ message: String) -> Result<RPCRequest, Failure> {
            .failure(Failure(id: id ?? .null, error: .invalidRequest("invalid request: " + message), isNotification: false))
        }
        guard members["jsonrpc"] == .string("2.0") else { return invalid(#"jsonrpc must be "2.0""#) }
        guard case .string(let method)? = members["method"] else { return invalid("method must be a string") }
        let names: [String]
        switch members["params"] {
        case nil, .null?: names = []
        case .object(let params)?: names = params.keys.sorted()
        case .array?:
            return .failure(Failure(
                id: id ?? .null,
                error: .invalidParams(FieldProblem(field: "params", problem: .wrongType, expected: "an object (params are by name)")),
                isNotification: id == nil
            ))
        default: return invalid("params must be an object")
        }
        return .success(RPCRequest(method: method, id: id, message: Data(bytes), parameterNames: names))
    }
}
