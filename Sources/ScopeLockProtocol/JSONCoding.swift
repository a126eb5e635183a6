import Foundation

/// The one way scopelock writes and reads JSON: sorted keys, compact, no escaped slashes.
public enum JSONCoding {
    /// An encoder with sorted keys; `pretty` adds indentation for files people read.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty
            ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` as one compact line of UTF-8 JSON.
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }
}
