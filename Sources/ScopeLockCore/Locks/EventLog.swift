import Foundation

/// `locks/events.jsonl`: one JSON object per line, one line per change. Written whole by the mutex holder
/// (`LockDirectory.appendEvents`); read by anyone, at any moment, with `completeLines`.
public enum EventLog {
    public static let fileName = "events.jsonl"

    /// The complete lines of a log's bytes: a last line without its newline is left out — a writer may be
    /// appending it right now, or a full disk may have cut it short (it is then cut back by the writer).
    /// Empty lines are skipped.
    public static func completeLines(_ bytes: some Collection<UInt8>) -> [Data] {
        var lines: [Data] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 10 {
                if !current.isEmpty { lines.append(Data(current)) }
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        return lines
    }
}
