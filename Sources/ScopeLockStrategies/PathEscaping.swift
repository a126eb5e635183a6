/// Converts between literal repository paths and scope entry text, where `*`, `?`, `[` and `{` are pattern
/// characters unless escaped with `\` (interface.md section 2).
enum PathEscaping {
    /// Characters that are escaped when a literal path becomes entry text (as the scope engine writes them).
    static let escapedCharacters: Set<Character> = ["\\", "*", "?", "[", "{"]
    /// Characters that make unescaped entry text a pattern.
    static let patternCharacters: Set<Character> = ["*", "?", "[", "{"]

    /// Entry text that names exactly `path`.
    static func escape(_ path: String) -> String {
        var text = ""
        for character in path {
            if escapedCharacters.contains(character) { text.append("\\") }
            text.append(character)
        }
        return text
    }

    /// The literal path `text` names, or nil when the text holds an unescaped pattern character.
    static func literal(_ text: String) -> String? {
        var path = ""
        var escaping = false
        for character in text {
            if escaping {
                path.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if patternCharacters.contains(character) {
                return nil
            } else {
                path.append(character)
            }
        }
        return escaping ? nil : path
    }
}
