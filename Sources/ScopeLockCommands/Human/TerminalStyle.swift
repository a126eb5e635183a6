import Foundation
import ScopeLockCore

/// Colour for human output: only when stdout is a terminal and `NO_COLOR` is unset or empty.
struct TerminalStyle: Sendable {
    let enabled: Bool

    /// The style for standard output in this process.
    static func forStandardOutput(environment: [String: String] = ProcessEnvironment.current) -> TerminalStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalStyle(enabled: isatty(STDOUT_FILENO) == 1 && !noColor)
    }

    static let plain = TerminalStyle(enabled: false)

    enum Tone: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    /// `text` in `tone`, or unchanged when colour is off.
    func paint(_ text: String, _ tone: Tone) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(tone.rawValue)m\(text)\u{1B}[0m" : text
    }
}
