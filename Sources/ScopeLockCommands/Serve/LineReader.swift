#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads newline-delimited lines from a file descriptor with bounded memory: a line longer than `limit` bytes is
/// not kept — the rest of it is read and dropped — and is reported as `.tooLong`, so the next line reads normally.
package struct LineReader {
    /// One line, without its `\n` (and a `\r` before it), or the news that one was too long.
    package enum Line: Equatable {
        case text(Data)
        case tooLong
    }

    /// The longest request line `serve` and `mcp` read: 1 MiB.
    package static let requestLimit = 1 << 20

    let fileDescriptor: Int32
    let limit: Int
    private var buffer: [UInt8] = []
    /// Where the current line starts in `buffer`.
    private var start = 0
    /// How far the current line has been searched for a newline.
    private var scanned = 0
    /// The current line grew past `limit`: its bytes are being dropped up to its newline.
    private var discarding = false
    private var atEnd = false
    /// What one read fills, allocated once: a new 64 KiB array for every read cost more than the line it read.
    private var chunk: [UInt8] = []

    package init(fileDescriptor: Int32, limit: Int) {
        self.fileDescriptor = fileDescriptor
        self.limit = limit
    }

    /// The next line, or nil at end of input. Blocks until a line is complete; throws on a read error.
    package mutating func next() throws -> Line? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                if discarding || line.count > limit {
                    discarding = false
                    return .tooLong
                }
                return .text(Data(line.last == UInt8(ascii: "\r") ? line.dropLast() : line))
            }
            scanned = buffer.count
            if buffer.count - start > limit {
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            if atEnd {
                defer { buffer.removeAll(); start = 0; scanned = 0; discarding = false }
                if discarding { return .tooLong }
                return start < buffer.count ? .text(Data(buffer[start...])) : nil
            }
            try fill()
        }
    }

    /// Reads one chunk into the buffer, first dropping the lines already returned.
    private mutating func fill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: 64 << 10) }
        let descriptor = fileDescriptor
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                return
            }
            if count == 0 {
                atEnd = true
                return
            }
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
