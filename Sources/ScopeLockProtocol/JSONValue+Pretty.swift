extension JSONValue {
    /// Indented JSON with sorted keys and `"key": value` spacing, for files people read (lock records).
    public func prettyPrinted(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .array(let values):
            guard !values.isEmpty else { return "[]" }
            return "[\n" + values.map { inner + $0.prettyPrinted(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            // Keys sorted by their UTF-8 bytes: `String`'s `<` treats canonically equivalent spellings
            // (`é` and `e` + U+0301) alike, which left their order, and so the bytes written, unstable.
            return "{\n" + fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { key in
                inner + JSONValue.string(key).prettyPrinted() + ": " + fields[key]!.prettyPrinted(indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        case .string(let text):
            var escaped = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": escaped += "\\\""
                case "\\": escaped += "\\\\"
                case "\n": escaped += "\\n"
                case "\r": escaped += "\\r"
                case "\t": escaped += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped + "\""
        case .null, .bool, .number:
            return (try? JSONCoding.line(self)) ?? "null"
        }
    }
}
