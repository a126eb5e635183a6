import ScopeLockProtocol

/// One parameter of a protocol method: its name (the request's field name), JSON type and meaning. The same
/// list gives MCP's `inputSchema`, refuses unknown params, and names the expected type in invalid-params errors.
package struct RPCField: Sendable {
    /// The JSON types parameters take.
    enum Kind: Sendable {
        case string, boolean, integer, strings, object
        /// A duration: text (`90s`, `15m`, `1h30m`) or a whole number of seconds.
        case duration
        /// A string or an array of strings (`plugin_dir`).
        case stringOrStrings

        /// The type in words, for error messages.
        var expected: String {
            switch self {
            case .string: "a string"
            case .boolean: "true or false"
            case .integer: "an integer"
            case .strings: "an array of strings"
            case .object: "an object"
            case .duration: "a duration (90s, 15m, 1h, 1h30m) or a whole number of seconds"
            case .stringOrStrings: "a string or an array of strings"
            }
        }

        /// The JSON Schema of the type.
        var schema: [String: JSONValue] {
            func type(_ name: String) -> [String: JSONValue] { ["type": .string(name)] }
            let strings: [String: JSONValue] = ["type": .string("array"), "items": .object(type("string"))]
            switch self {
            case .string: return type("string")
            case .boolean: return type("boolean")
            case .integer: return type("integer")
            case .strings: return strings
            case .object: return type("object")
            case .duration: return ["anyOf": .array([.object(type("string")), .object(["type": .string("integer"), "minimum": .number(0)])])]
            case .stringOrStrings: return ["anyOf": .array([.object(type("string")), .object(strings)])]
            }
        }
    }

    package let name: String
    let kind: Kind
    package let required: Bool
    let summary: String

    init(_ name: String, _ kind: Kind, required: Bool = false, _ summary: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.summary = summary
    }

    /// The params that choose the workspace, taken by every operation.
    static let workspace = [
        RPCField("output_dir", .string, "The output directory for this request; locks live in <dir>/locks/ (default: the server's, see where)."),
        RPCField("root", .string, "The repository root entries are relative to, for this request (default: the server's)."),
        RPCField("plugin_dir", .stringOrStrings, "Folders searched first for strategy plugins, before the server's --plugin-dir."),
    ]

    /// A JSON Schema object for `fields`: their types, the required ones (but those in `optional`, which the
    /// server fills in), nothing else allowed.
    package static func inputSchema(_ fields: [RPCField], optional: Set<String> = []) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for field in fields {
            var schema = field.kind.schema
            schema["description"] = .string(field.summary)
            properties[field.name] = .object(schema)
        }
        return .object([
            "type": .string("object"),
            "properties": .object(properties),
            "required": .array(fields.filter { $0.required && !optional.contains($0.name) }.map { .string($0.name) }),
            "additionalProperties": .bool(false),
        ])
    }
}
