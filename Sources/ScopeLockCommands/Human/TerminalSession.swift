import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A full-screen session on the terminal for `status --watch`: the alternate screen, no cursor, keys read one
/// at a time without echo. `restore()` puts everything back; it also runs on SIGINT and SIGTERM.
final class TerminalSession: @unchecked Sendable {
    private var saved = termios()
    private var active = false

    /// Enters the session when standard input and output are terminals; false otherwise.
    func enter() -> Bool {
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            // Ctrl-C still raises SIGINT (ISIG stays on), which ends the watch through the signal handler.
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        return true
    }

    /// Leaves the alternate screen, shows the cursor and puts the terminal's modes back.
    func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
    }

    /// Draws `lines` over the previous frame without clearing the screen first (no flicker): each line
    /// clears only what is left of it, and whatever is below the frame is cleared last.
    func draw(_ lines: [String]) {
        var text = "\u{1B}[H"
        for line in lines { text += line + "\u{1B}[K\r\n" }
        text += "\u{1B}[J"
        write(text)
    }

    /// The terminal's size in columns and rows (80x24 when unknown).
    static func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return (80, 24) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { if errno == EINTR { continue }; return }
            offset += written
        }
    }
}
