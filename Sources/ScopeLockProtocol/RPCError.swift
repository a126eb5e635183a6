/// The `error` member of a JSON-RPC 2.0 error response. scopelock uses only the protocol's own codes:
/// a refused operation is a result with `"ok": false`, never one of these.
public struct RPCError: Error, Codable, Sendable, Hashable {
    /// -32700, -32600, -32601, -32602 or -32603.
    public let code: Int
    public let message: String
    /// For invalid params: the field at fault and what is wrong with it.
    public let data: FieldProblem?

    public init(code: Int, message: String, data: FieldProblem? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The line is not JSON.
    public static func parseError(_ message: String) -> RPCError { RPCError(code: -32700, message: message) }
    /// The line is JSON but not a request.
    public static func invalidRequest(_ message: String) -> RPCError { RPCError(code: -32600, message: message) }
    /// No such method.
    public static func methodNotFound(_ method: String, known: [String]) -> RPCError {
        RPCError(code: -32601, message: "unknown method \(method.debugDescription): use one of \(known.joined(separator: ", "))")
    }
    /// A parameter is missing, unknown or of the wrong type.
    public static func invalidParams(_ problem: FieldProblem) -> RPCError {
        RPCError(code: -32602, message: "invalid params: \(problem.description)", data: problem)
    }
    /// A fault inside scopelock.
    public static func internalError(_ message: String) -> RPCError { RPCError(code: -32603, message: message) }
}

/// The `data` of an invalid-params error: which field, and what is wrong with it.
public struct FieldProblem: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Problem: String, Codable, Sendable {
        /// A required field is absent (or null).
        case missing
        /// The method has no such field.
        case unknown
        /// The field's value has the wrong JSON type.
        case wrongType = "wrong_type"
    }

    /// The field's name; `params` for the params member itself; `entries[2]` for an element.
    public let field: String
    public let problem: Problem
    /// The JSON type the field takes (`wrong_type`, `missing`).
    public let expected: String?

    public init(field: String, problem: Problem, expected: String? = nil) {
        self.field = field
        self.problem = problem
        self.expected = expected
    }

    public var description: String {
        switch problem {
        case .missing: "\(field) is missing" + (expected.map { " (\($0))" } ?? "")
        case .unknown: "\(field) is not a parameter of this method"
        case .wrongType: "\(field) must be " + (expected ?? "of another type")
        }
    }
}
