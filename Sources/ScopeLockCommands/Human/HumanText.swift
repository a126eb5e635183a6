/// Text written by agents (tasks, entries, reasons), made safe to print on a terminal.
enum HumanText {
    /// `text` with every control character written as an escape (`\n`, `\t`, `\u{1B}`), so that nothing an
    /// agent wrote can move the cursor or change colours.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { result.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        // C0, DEL and C1 controls, and the bidirectional overrides that reorder what is shown.
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
