import ScopeLockCore

/// Text written by agents (tasks, entries, reasons), made safe to print on a terminal.
enum HumanText {
    /// `text` with every control character written as an escape (`\n`, `\t`, `\u{1B}`), so that nothing an
    /// agent wrote can move the cursor or change colours (`ControlCharacters.escaped`, shared by every front end).
    static func escape(_ text: String) -> String {
        ControlCharacters.escaped(text)
    }
}
