#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScopeLockProtocol

/// Reads ONE JSON value from a file descriptor without waiting for end of input, which a hook's caller may never
/// send: bytes are read as they come, and reading stops as soon as they hold a whole JSON value, or at the deadline.
public enum BoundedJSONReader {
    /// Why no value was read.
    public enum Failure: Error, Equatable, Sendable {
        /// Input ended, or the deadline passed, before a whole value arrived (`received` bytes so far).
        case incomplete(received: Int)
        /// The bytes are not JSON.
        case notJSON(String)
        /// More than `limit` bytes without a whole value.
        case tooLarge(limit: Int)
    }

    /// The value, read within `timeout`; at most `limit` bytes.
    public static func read(from fileDescriptor: Int32, timeout: Duration, limit: Int = 4 << 20) -> Result<JSONValue, Failure> {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return .failure(finalFailure(buffer)) }
            var poller = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failure(finalFailure(buffer))
            }
            if ready == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { systemRead(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(finalFailure(buffer))
            }
            if count == 0 { return complete(buffer) ?? .failure(finalFailure(buffer)) }
            buffer.append(contentsOf: chunk[..<count])
            if let value = complete(buffer) { return value }
            if buffer.count > limit { return .failure(.tooLarge(limit: limit)) }
        }
    }

    /// The value the bytes hold when they are a whole JSON value; nil while more may come.
    private static func complete(_ bytes: [UInt8]) -> Result<JSONValue, Failure>? {
        guard let last = bytes.lastIndex(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        // Only an object or array can end here; a hook's input is an object.
        guard bytes[last] == UInt8(ascii: "}") || bytes[last] == UInt8(ascii: "]") else { return nil }
        if let value = try? JSONParser.parse(bytes) { return .success(value) }
        return nil
    }

    private static func finalFailure(_ bytes: [UInt8]) -> Failure {
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return .incomplete(received: bytes.count) }
        do {
            _ = try JSONParser.parse(bytes)
            return .incomplete(received: bytes.count)
        } catch {
            return .notJSON("\(error.message) at byte \(error.offset)")
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif
