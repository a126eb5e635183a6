import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// An etcd store's change source: a watch on the store's key prefix (the v3 gateway's streaming
/// `/v3/watch`), read on a thread of its own. Every change under the prefix — a record or waiter put or
/// deleted, by a client or by a lease running out — makes `descriptor` readable within a few milliseconds.
///
/// When the stream cannot be opened or drops (the member died, lost its leader, or the watch was cancelled),
/// the source says "look again" at once and then every `fallbackInterval` until a new stream (on the next
/// endpoint) is open, then once more: a change made meanwhile is seen late, never missed.
final class EtcdWatch: ChangeSource, @unchecked Sendable {
    /// How often a waiter looks again while no watch stream is open.
    static let fallbackInterval: Duration = .milliseconds(100)
    /// How long `init` waits for the first stream to be open, so that a look made after it misses nothing.
    static let openingWait: Duration = .milliseconds(500)

    private let configuration: EtcdConfiguration
    private let prefix: Data
    private let http = BlockingHTTP(connectTimeout: 0.5)
    /// Written by the thread, one byte per change; `descriptor` is its read end.
    private let signal: (read: Int32, write: Int32)
    /// Written by `stop()`: ends the thread.
    private let stopping: (read: Int32, write: Int32)
    /// Signalled when the first stream is open (for `init`'s wait).
    private let openedSignal = DispatchSemaphore(value: 0)
    /// Whether a stream has been open before (touched only by the thread).
    private var everOpened = false

    /// Starts watching every key under `prefix` and waits up to `openingWait` for the stream to be open.
    init(configuration: EtcdConfiguration, prefix: String) throws(ErrorInfo) {
        self.configuration = configuration
        self.prefix = Data(prefix.utf8)
        signal = try Self.pipe()
        do throws(ErrorInfo) {
            stopping = try Self.pipe()
        } catch {
            close(signal.read)
            close(signal.write)
            throw error
        }
        let thread = Thread { [self] in run() }
        thread.name = "scopelock etcd watch"
        thread.start()
        let (seconds, attoseconds) = Self.openingWait.components
        _ = openedSignal.wait(timeout: .now() + .nanoseconds(Int(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)))
    }

    deinit {
        for fd in [signal.read, signal.write, stopping.read, stopping.write] { close(fd) }
    }

    var descriptor: Int32 { signal.read }

    func drain() -> Bool {
        var bytes = [UInt8](repeating: 0, count: 256)
        var changed = false
        while read(signal.read, &bytes, bytes.count) > 0 { changed = true }
        return changed
    }

    func stop() {
        var one: UInt8 = 1
        _ = write(stopping.write, &one, 1)
    }

    private static func pipe() throws(ErrorInfo) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw SystemError.io("watch", "a pipe") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        return (ends[0], ends[1])
    }

    /// Tells the feed to look again.
    private func changed() {
        var one: UInt8 = 1
        _ = write(signal.write, &one, 1)
    }

    private var isStopped: Bool {
        var poller = pollfd(fd: stopping.read, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }

    // MARK: the thread

    /// Opens a stream on each endpoint in turn, reads it until it drops, and looks again in between.
    private func run() {
        let request: Data
        do {
            request = try JSONEncoder().encode(EtcdWire.WatchRequest(
                createRequest: .init(key: prefix, rangeEnd: EtcdWire.rangeEnd(ofPrefix: prefix))
            ))
        } catch {
            return
        }
        var index = 0
        while !isStopped {
            let endpoint = configuration.endpoints[index % configuration.endpoints.count]
            index += 1
            // "hasleader": the member cancels the watch when it loses its leader, so a cut-off member cannot
            // keep a waiter listening to a stream that will never carry a change.
            if let fd = http.openStream(
                host: endpoint.host, port: endpoint.port, path: "/v3/watch", body: request, headers: ["Grpc-Metadata-Hasleader": "true"]
            ) {
                let reading = follow(stream: fd)
                close(fd)
                if reading == .stopped { return }
            }
            // No stream: look again now and at every fallback interval until the next try.
            changed()
            if pause(Self.fallbackInterval) { return }
        }
    }

    private enum StreamEnd { case dropped, stopped }

    /// Reads one watch stream until it drops or the source stops, telling of every change. When etcd confirms
    /// a watch that replaces a dropped one, that too means "look again": changes may have been made while no
    /// stream was open.
    private func follow(stream fd: Int32) -> StreamEnd {
        var parser = EtcdWatchStream()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: stopping.read, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return .dropped
            }
            if fds[1].revents != 0 { return .stopped }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
            guard count > 0 else { return .dropped }
            for message in parser.feed(buffer[0..<count]) {
                switch message {
                case .created:
                    if everOpened {
                        changed()
                    } else {
                        everOpened = true
                        openedSignal.signal()
                    }
                case .events:
                    changed()
                case .ended:
                    return .dropped
                }
            }
        }
    }

    /// Sleeps `duration` unless stopped first; true when stopped.
    private func pause(_ duration: Duration) -> Bool {
        let (seconds, attoseconds) = duration.components
        var poller = pollfd(fd: stopping.read, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, Int32(seconds * 1000 + attoseconds / 1_000_000_000_000_000)) > 0
    }
}

/// The answer of a `/v3/watch` call as it arrives: an HTTP head, then chunks that carry one JSON message a
/// line (`{"result": {...}}` or `{"error": {...}}`).
struct EtcdWatchStream {
    /// What one message says.
    enum Message: Equatable {
        /// The watch is set up: every later change comes as `events`.
        case created
        /// Keys under the prefix changed.
        case events
        /// The stream is over: an error, a cancelled watch, a refusal, or the end of the answer.
        case ended
    }

    private var pending: [UInt8] = []
    private var headRead = false
    private var chunked = false
    /// Bytes left in the current chunk (nil: a size line is due).
    private var chunkLeft: Int?
    /// The de-chunked body not yet split into lines.
    private var body: [UInt8] = []
    private var over = false

    /// Takes the next bytes received; returns the messages they complete.
    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [Message] {
        guard !over else { return [] }
        pending += bytes
        if !headRead {
            guard let end = Self.find([13, 10, 13, 10], in: pending) else { return [] }
            let head = String(decoding: pending[0..<end], as: UTF8.self).lowercased()
            pending.removeFirst(end + 4)
            headRead = true
            let status = head.split(separator: "\r\n").first?.split(separator: " ").dropFirst().first
            guard status == "200" else { return finish() }
            chunked = head.contains("transfer-encoding: chunked")
        }
        if chunked {
            while true {
                if let left = chunkLeft {
                    let take = min(left, pending.count)
                    body += pending[0..<take]
                    pending.removeFirst(take)
                    if take < left {
                        chunkLeft = left - take
                        break
                    }
                    guard pending.count >= 2 else {
                        chunkLeft = 0
                        break
                    }
                    pending.removeFirst(2)  // the CRLF after the chunk
                    chunkLeft = nil
                } else {
                    guard let lineEnd = Self.find([13, 10], in: pending) else { break }
                    let text = String(decoding: pending[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                    pending.removeFirst(lineEnd + 2)
                    guard let size = Int(text.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return finish() }
                    if size == 0 { return messages() + finish() }
                    chunkLeft = size
                }
            }
        } else {
            body += pending
            pending = []
        }
        return messages()
    }

    /// The complete lines of the body, read.
    private mutating func messages() -> [Message] {
        var found: [Message] = []
        while let newline = body.firstIndex(of: 10) {
            let line = Array(body[0..<newline])
            body.removeFirst(newline + 1)
            guard line.contains(where: { $0 != 32 && $0 != 13 }) else { continue }
            let message = Self.read(line)
            found.append(message)
            if message == .ended {
                over = true
                break
            }
        }
        return found
    }

    private mutating func finish() -> [Message] {
        over = true
        return [.ended]
    }

    /// What one JSON line says.
    static func read(_ line: [UInt8]) -> Message {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
              let result = object["result"] as? [String: Any]
        else { return .ended }
        if result["canceled"] as? Bool == true { return .ended }
        if result["created"] as? Bool == true, (result["events"] as? [Any])?.isEmpty ?? true { return .created }
        return .events
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for index in 0...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if Array(bytes[index..<index + needle.count]) == needle { return index }
        }
        return nil
    }
}
