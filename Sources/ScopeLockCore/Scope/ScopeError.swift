/// An entry that is not valid input: it cannot be parsed, escapes the repository root, or breaks a limit.
///
/// `code` is always `"invalid_input"`; `message` names the entry and says what to change,
/// for example `entry "src/[ab": unbalanced "[" at position 4; ...`.
public struct ScopeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code: always `"invalid_input"`.
    public let code: String
    /// The offending entry exactly as it was given.
    public let entry: String
    /// 0-based position of the problem in `entry`, counted in Unicode scalars, where known.
    public let position: Int?
    /// A sentence a user can act on; it names the entry.
    public let message: String

    /// The message.
    public var description: String { message }

    /// An `invalid_input` error for `entry`; `problem` is the part of the message after the entry.
    public init(entry: String, position: Int? = nil, problem: String) {
        self.init(entry: entry, position: position, problem: problem, subject: "entry")
    }

    /// The same, naming the entry as `subject` (`entry`, `exclude`) in the message.
    init(entry: String, position: Int? = nil, problem: String, subject: String) {
        self.code = "invalid_input"
        self.entry = entry
        self.position = position
        self.message = "\(subject) \(ScopeError.quoted(entry)): \(problem)"
    }

    /// `text` in double quotes, control characters escaped, long text shortened, for messages.
    static func quoted(_ text: String) -> String {
        let limit = 80
        var shown = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                shown += "…"
                break
            }
            switch scalar {
            case "\0": shown += "\\0"
            case "\n": shown += "\\n"
            case "\r": shown += "\\r"
            case "\t": shown += "\\t"
            case "\"": shown += "\\\""
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    shown += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
            count += 1
        }
        return "\"" + shown + "\""
    }
}
