import Foundation
import Synchronization

/// The pages listening for updates: each gets the latest snapshot when it connects and every later one.
/// A page that cannot be written to is dropped.
final class EventStreamHub: Sendable {
    private struct State {
        var latest = Data()
        var listeners: [Int: HTTPConnection] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// The latest snapshot's JSON.
    var latest: Data { state.withLock { $0.latest } }

    /// Keeps `snapshot` as the latest and sends it to every listener.
    func publish(_ snapshot: Data) {
        let message = Self.message(snapshot)
        state.withLock { state in
            state.latest = snapshot
            state.listeners = state.listeners.filter { $0.value.write(message) }
        }
    }

    /// Serves one listener: the latest snapshot now, later ones as they are published, until it goes away.
    func listen(_ connection: HTTPConnection) {
        let id: Int? = state.withLock { state in
            guard connection.write(Data("retry: 1000\n\n".utf8)), connection.write(Self.message(state.latest)) else { return nil }
            state.next += 1
            state.listeners[state.next] = connection
            return state.next
        }
        guard let id else { return }
        connection.waitUntilClosed()
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    /// One server-sent event named `state` carrying `snapshot` (compact JSON has no newline).
    private static func message(_ snapshot: Data) -> Data {
        Data("event: state\ndata: ".utf8) + snapshot + Data("\n\n".utf8)
    }
}
