import Foundation

/// Quoting for text printed as a line of POSIX shell (`export NAME=VALUE`).
enum ShellQuote {
    /// `text` as one shell word: unchanged when it holds only safe characters, else in single quotes.
    static func quoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:,@%=".unicodeScalars)
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
