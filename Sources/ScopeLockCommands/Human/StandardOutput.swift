import Foundation

/// Lines written to stdout at once, unbuffered: for commands that keep running (dashboard, follow, watch),
/// whose readers must see each line as it is printed.
enum StandardOutput {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
