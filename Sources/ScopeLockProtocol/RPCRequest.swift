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

    /// What went wrong reading a line: the error, and the id to answer it with (null when unknown).
    public struct Failure: Error, Sendable {
        public let id: RPCID
        public let error: RPCError
        /// The line was a notification (well-formed enough to tell), so no answer is due.
        public let isNotification: Bool
    }

    /// Reads one line: a parse error when it is not JSON, an invalid request when it is not a request object
    /// (batches included: send one request per line), invalid params when `params` is an array.
    public static func parse(_ line: Data) -> Result<RPCRequest, Failure> {
        let decoder = JSONDecoder()
        let value: JSONValue
        do {
            value = try decoder.decode(JSONValue.self, from: line)
        } catch {
            return .failure(Failure(id: .null, error: .parseError("parse error: the line is not JSON"), isNotification: false))
        }
        guard case .object(let members) = value else {
            let message = if case .array = value {
                "invalid request: batches are not supported; send one request object per line"
            } else {
                "invalid request: a request is a JSON object"
            }
            return .failure(Failure(id: .null, error: .invalidRequest(message), isNotification: false))
        }
        var id: RPCID?
        if members["id"] != nil {
            guard let envelope = try? decoder.decode(IDEnvelope.self, from: line) else {
                return .failure(Failure(id: .null, error: .invalidRequest("invalid request: id must be a string, a number or null"), isNotification: false))
            }
            id = envelope.id
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
        return .success(RPCRequest(method: method, id: id, message: line, parameterNames: names))
    }

    /// The message with only its id decoded, keeping integer ids exact.
    private struct IDEnvelope: Decodable {
        let id: RPCID
    }
}
