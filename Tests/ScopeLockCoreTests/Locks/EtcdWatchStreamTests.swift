@testable import ScopeLockCore
import Testing

/// The answer of etcd's `/v3/watch` gateway call, read as it arrives in pieces of any size.
@Suite struct EtcdWatchStreamTests {
    private static let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    private static let created = #"{"result":{"header":{"revision":"1"},"created":true}}"# + "\n"
    private static let events = #"{"result":{"header":{"revision":"2"},"events":[{"kv":{"key":"L3AvYQ==","mod_revision":"2"}}]}}"# + "\n"

    private static func chunk(_ text: String) -> String { String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n" }

    /// Every way of cutting the stream into two pieces gives the same messages.
    @Test(arguments: [1, 7, 40, 97, 150, 211])
    func messagesSurviveAnyCut(at cut: Int) {
        let stream = Array((Self.head + Self.chunk(Self.created) + Self.chunk(Self.events + Self.events) + "0\r\n\r\n").utf8)
        var parser = EtcdWatchStream()
        let split = min(cut, stream.count)
        let messages = parser.feed(stream[0..<split]) + parser.feed(stream[split...])
        #expect(messages == [.created, .events, .events, .ended])
    }

    @Test func aRefusalOrACancelledWatchEndsTheStream() {
        var refused = EtcdWatchStream()
        #expect(refused.feed(Array("HTTP/1.1 503 Service Unavailable\r\n\r\n".utf8)[...]) == [.ended])
        var cancelled = EtcdWatchStream()
        let text = Self.head + Self.chunk(Self.created) + Self.chunk(#"{"result":{"canceled":true,"cancel_reason":"no leader"}}"# + "\n")
        #expect(cancelled.feed(Array(text.utf8)[...]) == [.created, .ended])
        var failed = EtcdWatchStream()
        #expect(failed.feed(Array((Self.head + Self.chunk(#"{"error":{"grpc_code":14}}"# + "\n")).utf8)[...]) == [.ended])
    }
}
