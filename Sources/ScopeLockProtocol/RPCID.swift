/// A JSON-RPC 2.0 request id — a string, a number or null — kept as the JSON text the request wrote, so that it
/// is echoed back exactly: an integer of any size, `1.50` or `"\u0041"` comes back byte for byte.
public struct RPCID: Sendable, Hashable, CustomStringConvertible {
    /// The id's JSON text, as it appeared in the request.
    public let json: String

    /// An id whose JSON text is `json`; the caller has checked that it is a string, a number or null.
    public init(json: String) {
        self.json = json
    }

    /// The null id of an answer to a request whose id could not be read.
    public static let null = RPCID(json: "null")

    /// The id of a value that is a string, a number or null; nil for any other JSON value.
    public static func validated(json: String, value: JSONValue) -> RPCID? {
        switch value {
        case .string, .number, .null: RPCID(json: json)
        case .bool, .array, .object: nil
        }
    }

    public var description: String { json }
}
