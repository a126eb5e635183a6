/// Text written by agents or plugins (tasks, entries, messages) made safe to print for a person: terminal
/// control characters are shown escaped instead of acting on the terminal. Every human front end (command
/// output, the status table, hook messages) prints agent-written text through `escaped`.
public enum ControlCharacters {
    /// `text` with C0 and C1 control characters, DEL and bidirectional overrides written as `\n`, `\t`, `\r`
    /// or `\u{1B}`; everything else unchanged. With `keepingNewlines`, `\n` stays a line break (for whole
    /// blocks of output whose lines the tool itself laid out).
    public static func escaped(_ text: some StringProtocol, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && !(keepingNewlines && $0 == "\n") }) else {
            return String(text)
        }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar), !(keepingNewlines && scalar == "\n") else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    /// Whether `scalar` can change what a terminal shows beyond itself: C0 controls, DEL, C1 controls, and the
    /// bidirectional embedding, override and isolate characters (which can reorder the rest of a line).
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
