import ScopeLockProtocol

/// Agent names, which are also lock file names: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
public enum AgentName {
    /// Throws `invalid_input` unless `name` is a valid agent name.
    public static func validate(_ name: String) throws(ErrorInfo) {
        let bytes = Array(name.utf8)
        func isAlnum(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
        }
        let valid = !bytes.isEmpty && bytes.count <= 128 && isAlnum(bytes[0])
            && bytes.dropFirst().allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        guard valid else {
            let shown = name.count > 40 ? String(name.prefix(40)) + "…" : name
            throw ErrorInfo(
                .invalidInput,
                "invalid agent name \(shown.debugDescription): use 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit",
                agent: name
            )
        }
    }
}
