import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Synchronous HTTP/1.1 POSTs over a plain TCP socket, one connection per request (`Connection: close`),
/// for the synchronous `LockStore` methods.
///
/// Not `URLSession`: on Linux, FoundationNetworking stops the process with a fatal error ("Transfer completed,
/// but there's no response") when a server's connection drops right after a request was sent — which is what
/// a killed etcd member does — and its timeouts cannot tell a connection that was never made (the request surely
/// did nothing) from one that broke off (it may have been applied). This client tells them apart, has a short
/// connect timeout and a separate answer timeout, and keeps no state between calls, so it is trivially safe to
/// call from any thread or task.
struct BlockingHTTP: Sendable {
    /// How one request ended.
    enum Outcome: Sendable {
        /// An HTTP answer arrived: status and body.
        case answered(status: Int, body: Data)
        /// No answer. `delivered` is false when no connection was made (so the server never saw the request),
        /// true when the connection broke or timed out after the request was (perhaps partly) sent.
        case failed(message: String, delivered: Bool)
    }

    /// How long to wait for a connection to be accepted.
    var connectTimeout: TimeInterval = 2
    /// How long to wait for the whole answer once connected.
    var answerTimeout: TimeInterval = 10
    /// The largest answer read.
    var answerLimit = 64 << 20

    /// POSTs `body` (JSON) to `path` on `host:port` and waits for the answer.
    func post(host: String, port: Int, path: String, body: Data) -> Outcome {
        let fd: Int32
        switch connect(host: host, port: port) {
        case .failure(let message): return .failed(message: message, delivered: false)
        case .success(let socket): fd = socket
        }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(answerTimeout)
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var request = Data((
            "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        ).utf8)
        request.append(body)
        if let problem = send(request, on: fd, until: deadline) { return .failed(message: problem, delivered: true) }
        let answer: Data
        switch receive(on: fd, until: deadline) {
        case .failure(let message): return .failed(message: message, delivered: true)
        case .success(let data): answer = data
        }
        guard let parsed = Self.parse(answer) else {
            return .failed(message: answer.isEmpty ? "connection closed without an answer" : "not an HTTP answer", delivered: true)
        }
        return .answered(status: parsed.status, body: parsed.body)
    }

    /// Connects to `host:port` and sends a POST of `body` (JSON) to `path` without waiting for the answer, for
    /// a call whose answer is a stream (etcd's watch): the caller reads the answer from the returned
    /// non-blocking socket, and closes it. `headers` are added to the request. Nil when no connection was
    /// made or the request could not be sent.
    func openStream(host: String, port: Int, path: String, body: Data, headers: [String: String] = [:]) -> Int32? {
        guard case .success(let fd) = connect(host: host, port: port) else { return nil }
        let hostHeader = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let extra = headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        var request = Data((
            "POST \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Type: application/json\r\n\(extra)"
                + "Content-Length: \(body.count)\r\n\r\n"
        ).utf8)
        request.append(body)
        guard send(request, on: fd, until: Date().addingTimeInterval(answerTimeout)) == nil else {
            close(fd)
            return nil
        }
        return fd
    }

    // MARK: socket steps

    private enum Step<Value> {
        case success(Value)
        case failure(String)
    }

    /// A connected non-blocking socket to the first address of `host` that accepts within the connect timeout.
    private func connect(host: String, port: Int) -> Step<Int32> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure("unknown host (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(list) }
        var problem = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else {
                problem = Self.describe(errno)
                continue
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard errno == EINPROGRESS else {
                problem = Self.describe(errno)
                close(fd)
                continue
            }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(connectTimeout * 1000))
            if ready == 1 {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { return .success(fd) }
                problem = Self.describe(error)
            } else {
                problem = ready == 0 ? "connect timed out" : Self.describe(errno)
            }
            close(fd)
        }
        return .failure(problem)
    }

    /// Writes all of `data`; nil when done, else what went wrong.
    private func send(_ data: Data, on fd: Int32, until deadline: Date) -> String? {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return "timed out sending" }
            } else {
                return "sending: \(Self.describe(errno))"
            }
        }
        return nil
    }

    /// Reads until the server closes the connection.
    private func receive(on fd: Int32, until deadline: Date) -> Step<Data> {
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count > 0 {
                answer.append(contentsOf: buffer[0..<count])
                if answer.count > answerLimit { return .failure("answer larger than \(answerLimit) bytes") }
            } else if count == 0 {
                return .success(answer)
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                guard wait(fd, for: Int16(POLLIN), until: deadline) else { return .failure("timed out") }
            } else {
                return .failure(errno == ECONNRESET ? "connection reset" : "receiving: \(Self.describe(errno))")
            }
        }
    }

    /// Waits until `fd` is ready for `events`; false when the deadline passed first.
    private func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 3600) * 1000) + 1)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // the next read or write reports the error
        }
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "connect timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        default: return String(cString: strerror(code))
        }
    }

    // MARK: parsing

    /// Splits a complete HTTP/1.1 answer into status and body (de-chunked); nil when it is not one.
    static func parse(_ answer: Data) -> (status: Int, body: Data)? {
        let bytes = [UInt8](answer)
        guard let end = find([13, 10, 13, 10], in: bytes, from: 0) else { return nil }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else { return nil }
        var chunked = false
        var length: Int?
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
            if name == "content-length" { length = Int(value) }
        }
        let rest = Array(bytes[(end + 4)...])
        if chunked {
            guard let body = dechunk(rest) else { return nil }
            return (status, Data(body))
        }
        if let length {
            guard length >= 0, rest.count >= length else { return nil }
            return (status, Data(rest[0..<length]))
        }
        return (status, Data(rest))
    }

    /// Decodes a chunked body; nil when it is cut short.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: index) else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            index = lineEnd + 2
            if size == 0 { return body }
            guard size >= 0, size <= bytes.count - index else { return nil }
            body += bytes[index..<index + size]
            index += size + 2
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if Array(bytes[index..<index + needle.count]) == needle { return index }
        }
        return nil
    }
}
