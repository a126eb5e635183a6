import Foundation

/// The one way scopelock writes JSON: sorted keys, compact, no escaped slashes.
public enum JSONCoding {
    /// An encoder with sorted keys.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` as one compact line of UTF-8 JSON.
    public static func line(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }
}
