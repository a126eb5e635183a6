import ScopeLockProtocol

/// A JSON document that keeps what a person wrote: members in their order, numbers as their text. Settings files
/// are merged through it, so that everything scopelock does not own is written back as it was (only the
/// indentation is scopelock's: two spaces).
public indirect enum OrderedJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's text as written.
    case number(String)
    case string(String)
    case array([OrderedJSON])
    case object([(key: String, value: OrderedJSON)])

    public static func == (left: OrderedJSON, right: OrderedJSON) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// A member of an object; nil for other values.
    public subscript(key: String) -> OrderedJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// This object with `key` set to `value` (in place when present, else last), or removed when `value` is nil.
    public func setting(_ key: String, _ value: OrderedJSON?) -> OrderedJSON {
        guard case .object(var members) = self else { return self }
        if let index = members.firstIndex(where: { $0.key == key }) {
            if let value { members[index].value = value } else { members.remove(at: index) }
        } else if let value {
            members.append((key, value))
        }
        return .object(members)
    }

    /// Parses a document; the error names the line and column.
    public static func parse(_ text: String) throws(OrderedJSONError) -> OrderedJSON {
        let bytes = Array(text.utf8)
        // The strict parser checks the grammar (and says where it breaks); this one then keeps the order.
        do {
            _ = try JSONParser.parse(bytes)
        } catch {
            throw OrderedJSONError(offset: error.offset, message: error.message, bytes: bytes)
        }
        var reader = Reader(bytes: bytes)
        return reader.value()
    }

    /// The document as text: two-space indentation, a newline at the end.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: "")
        return out + "\n"
    }

    private func write(into out: inout String, indent: String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): out += Self.quoted(text)
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += indent + "  "
                item.write(into: &out, indent: indent + "  ")
                out += index < items.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, member) in members.enumerated() {
                out += indent + "  " + Self.quoted(member.key) + ": "
                member.value.write(into: &out, indent: indent + "  ")
                out += index < members.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Reads a document the strict parser has accepted.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skip() { while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 } }

        mutating func value() -> OrderedJSON {
            skip()
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(key: String, value: OrderedJSON)] = []
                skip()
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                while true {
                    skip()
                    let key = string()
                    skip()
                    index += 1  // ':'
                    members.append((key, value()))
                    skip()
                    let separator = bytes[index]
                    index += 1
                    if separator == UInt8(ascii: "}") { return .object(members) }
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [OrderedJSON] = []
                skip()
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                while true {
                    items.append(value())
                    skip()
                    let separator = bytes[index]
                    index += 1
                    if separator == UInt8(ascii: "]") { return .array(items) }
                }
            case UInt8(ascii: "\""): return .string(string())
            case UInt8(ascii: "t"): index += 4; return .bool(true)
            case UInt8(ascii: "f"): index += 5; return .bool(false)
            case UInt8(ascii: "n"): index += 4; return .null
            default:
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }

        /// A string token, decoded by the strict parser.
        mutating func string() -> String {
            let start = index
            index += 1
            while bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
            index += 1
            if case .string(let text)? = try? JSONParser.parse(Array(bytes[start..<index])) { return text }
            return ""
        }
    }
}

/// A settings file that is not JSON: where, and why.
public struct OrderedJSONError: Error, Sendable {
    public let line: Int
    public let column: Int
    public let message: String

    init(offset: Int, message: String, bytes: [UInt8]) {
        let before = bytes[..<min(offset, bytes.count)]
        line = before.filter { $0 == 0x0A }.count + 1
        column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        self.message = message
    }
}
