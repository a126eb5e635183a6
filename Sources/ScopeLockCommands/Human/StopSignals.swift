import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockCore
import Synchronization

/// How a long-running view (`status --watch`, `events --follow`) ends: SIGINT, SIGTERM or SIGHUP (or `stop()`,
/// e.g. on `q`) marks it stopped and interrupts the change feed it waits on.
final class StopSignals {
    /// The stop request, shared with the signal handlers.
    private final class Request: Sendable {
        let stopped = Atomic<Bool>(false)
        let feed: ChangeFeed
        init(_ feed: ChangeFeed) { self.feed = feed }
        func stop() {
            stopped.store(true, ordering: .sequentiallyConsistent)
            feed.interrupt()
        }
    }

    private let request: Request
    private let sources: [any DispatchSourceSignal]

    /// Starts listening for the three signals, which no longer end the process by themselves.
    init(interrupting feed: ChangeFeed) {
        let request = Request(feed)
        self.request = request
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { request.stop() }
            source.resume()
            return source
        }
    }

    /// Whether a signal or `stop()` asked the view to end.
    var isStopped: Bool { request.stopped.load(ordering: .sequentiallyConsistent) }

    /// What asks the view to end (e.g. on `q`), callable from any thread.
    var stop: @Sendable () -> Void {
        let request = request
        return { request.stop() }
    }

    /// Stops listening for the signals.
    func cancel() { sources.forEach { $0.cancel() } }
}
