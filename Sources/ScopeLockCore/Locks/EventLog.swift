import Foundation
import ScopeLockProtocol

/// Reads `locks/events.jsonl` from a byte offset on: whole lines only, a line that is not an event skipped and
/// counted, so that a follower can read again from where it stopped.
public struct EventLog: Sendable {
    /// The log's path.
    public let path: String

    public init(path: String) { self.path = path }

    /// The log of a file store.
    public init(_ store: FileLockStore) { path = store.locksPath + "/events.jsonl" }

    /// What one read found.
    public struct Chunk: Sendable {
        public var events: [LockEvent] = []
        /// Lines that are not JSON events.
        public var skipped = 0
        /// Where the next read starts: after the last whole line.
        public var offset: UInt64 = 0
    }

    /// The events of the whole lines from `offset` on. A log shorter than `offset` was replaced (cleared and
    /// written anew): it is read from its start. A missing log is empty.
    public func read(from offset: UInt64 = 0) throws(ErrorInfo) -> Chunk {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw ErrorInfo(.ioError, "cannot read \(path)", file: path) }
            return Chunk()
        }
        defer { try? handle.close() }
        let data: Data
        var start = offset
        do {
            let size = try handle.seekToEnd()
            if size < start { start = 0 }
            try handle.seek(toOffset: start)
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ErrorInfo(.ioError, "cannot read \(path): \(error.localizedDescription)", file: path)
        }
        var chunk = Chunk()
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            chunk.offset = start
            return chunk
        }
        let decoder = JSONDecoder()
        for line in data[data.startIndex...lastNewline].split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
            if let event = try? decoder.decode(LockEvent.self, from: Data(line)) {
                chunk.events.append(event)
            } else {
                chunk.skipped += 1
            }
        }
        chunk.offset = start + UInt64(lastNewline - data.startIndex + 1)
        return chunk
    }
}
