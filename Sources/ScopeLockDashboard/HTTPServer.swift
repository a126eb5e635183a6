import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// A minimal HTTP/1.1 server on 127.0.0.1 only: one thread per connection, one request per connection,
/// GET and HEAD only (anything else is 405). Enough for one page, its files, a JSON read and an event stream.
public final class HTTPServer: Sendable {
    /// The listening socket.
    private let socket: Int32
    /// The port it listens on (the one the system chose when asked for 0).
    public let port: UInt16

    /// Listens on 127.0.0.1:`port` (0: any free port). A port in use is an `io_error` naming it.
    public init(port: UInt16) throws(ErrorInfo) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ErrorInfo(.ioError, "cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = errno
            close(fd)
            if reason == EADDRINUSE {
                throw ErrorInfo(.ioError, "port \(port) on 127.0.0.1 is in use: stop what listens there, or choose another with --port")
            }
            throw ErrorInfo(.ioError, "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(reason)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        self.port = UInt16(bigEndian: actual.sin_port)
    }

    /// Accepts connections for ever, answering each on its own thread with `handler`.
    public func serve(_ handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) -> Never {
        while true {
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let port = port
            Thread {
                let connection = HTTPConnection(fd: client)
                guard let request = connection.readRequest() else { connection.close(); return }
                let response = HTTPServer.guarded(request, port: port) ?? handler(request)
                connection.send(response, head: request.method == "HEAD")
            }.start()
        }
    }

    /// The answer to a request that never reaches the handler: a method that is not GET or HEAD (405), or a
    /// Host that is not this server's own address (421: a page on another site cannot read this one).
    static func guarded(_ request: HTTPRequest, port: UInt16) -> HTTPResponse? {
        guard request.method == "GET" || request.method == "HEAD" else {
            return HTTPResponse(status: 405, text: "405 method not allowed: the dashboard only shows; it never changes a lock\n", headers: ["Allow": "GET, HEAD"])
        }
        let host = request.headers["host"] ?? ""
        guard ["127.0.0.1:\(port)", "localhost:\(port)"].contains(host.lowercased()) else {
            return HTTPResponse(status: 421, text: "421 misdirected request: use http://127.0.0.1:\(port)/\n")
        }
        return nil
    }
}

/// One request: its method, path (without the query) and lower-cased headers.
public struct HTTPRequest: Sendable {
    public let method: String
    public let path: String
    public let headers: [String: String]
}

/// What a request gets: a whole body, or an event stream kept open and fed by `stream`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// For an event stream: called with the open connection once the headers are sent; the server closes it when this returns.
    public var stream: (@Sendable (HTTPConnection) -> Void)?

    public init(status: Int = 200, body: Data, contentType: String, headers: [String: String] = [:]) {
        self.status = status
        self.headers = headers.merging(["Content-Type": contentType]) { mine, _ in mine }
        self.body = body
    }

    public init(status: Int, text: String, headers: [String: String] = [:]) {
        self.init(status: status, body: Data(text.utf8), contentType: "text/plain; charset=utf-8", headers: headers)
    }

    /// A `text/event-stream` response.
    public static func eventStream(_ stream: @escaping @Sendable (HTTPConnection) -> Void) -> HTTPResponse {
        var response = HTTPResponse(status: 200, body: Data(), contentType: "text/event-stream")
        response.headers["Cache-Control"] = "no-store"
        response.stream = stream
        return response
    }
}

/// An accepted connection: reads one request, writes one response.
public final class HTTPConnection: Sendable {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
        // A client that stops reading is dropped after 5 seconds instead of holding a thread for ever.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The request line and headers (at most 16 KiB); nil for anything that is not HTTP.
    func readRequest() -> HTTPRequest? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while buffer.count < 16 << 10 {
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer += chunk[0..<count]
            if let end = Self.headerEnd(buffer) { return Self.parse(buffer[0..<end]) }
        }
        return nil
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func parse(_ bytes: ArraySlice<UInt8>) -> HTTPRequest? {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = String(parts[1])
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        return HTTPRequest(method: String(parts[0]), path: path, headers: headers)
    }

    /// Sends `response` (its body unless `head`), feeds its stream if it has one, then closes.
    func send(_ response: HTTPResponse, head: Bool) {
        defer { close() }
        var text = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var headers = response.headers
        headers["Connection"] = "close"
        headers["X-Content-Type-Options"] = "nosniff"
        if response.stream == nil { headers["Content-Length"] = String(response.body.count) }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        guard write(Data(text.utf8)), !head else { return }
        if let stream = response.stream {
            stream(self)
        } else {
            _ = write(response.body)
        }
    }

    /// Writes all of `data`; false once the client is gone.
    @discardableResult
    public func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
    }

    func close() { _ = Glibc.close(fd) }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 421: "Misdirected Request"
        default: "Error"
        }
    }
}

extension HTTPConnection {
    /// Blocks until the client closes the connection (anything it sends is ignored).
    func waitUntilClosed() {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
            return
        }
    }
}
