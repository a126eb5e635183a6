import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// Tells whoever waits that the store changed: a record or waiter was written or removed, an event was
/// logged, or the locks folder itself appeared or went away. It listens to a `ChangeSource` — inotify on a
/// file store's locks folder (`FolderWatch`), an etcd store's watch stream (`EtcdWatch`) — so a change wakes a
/// waiter at once: nothing polls on a timer.
///
/// One feed serves one waiter at a time (`wait(until:orExitOf:)`); `stream()` is the same as an async
/// sequence for front ends that redraw (`status --watch`, the dashboard, MCP subscriptions).
/// A wake means "look again", never what changed; several changes may arrive as one wake.
public final class ChangeFeed {
    /// Where changes are heard of.
    private let source: any ChangeSource
    /// A pipe `interrupt()` writes to, to end a wait from another thread: read end, write end.
    private let interruption: (read: Int32, write: Int32)

    /// What ended a wait.
    public enum Wake: Sendable, Equatable {
        /// The store changed (or may have: look again).
        case changed
        /// One of the processes given to `wait` exited.
        case processExited
        /// The deadline passed with no change.
        case deadline
        /// `interrupt()` was called.
        case interrupted
    }

    /// Starts watching the locks folder `directory` (which need not exist yet); throws `io_error` when
    /// inotify is not available.
    public convenience init(directory: String) throws(ErrorInfo) {
        try self.init(source: FolderWatch(directory: directory))
    }

    /// A feed on `source`; throws `io_error` when no pipe can be made.
    public init(source: any ChangeSource) throws(ErrorInfo) {
        self.source = source
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            source.stop()
            throw SystemError.io("watch", "an interruption pipe")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        interruption = (ends[0], ends[1])
    }

    deinit {
        source.stop()
        close(interruption.read)
        close(interruption.write)
    }

    /// Blocks until the store changes, one of `processes` (pidfds, e.g. from `Holder.exitDescriptor()`)
    /// exits, or `deadline` passes (nil: no deadline). The clock is monotonic.
    public func wait(until deadline: ContinuousClock.Instant?, orExitOf processes: [Int32] = []) -> Wake {
        while true {
            var fds = [pollfd(fd: source.descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: interruption.read, events: Int16(POLLIN), revents: 0)]
            fds += processes.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            var timeout: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                if left <= .zero { return .deadline }
                let (seconds, attoseconds) = left.components
                let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
                timeout = Int32(clamping: milliseconds)
            }
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return .changed  // cannot wait: let the caller look again rather than hang
            }
            if ready == 0 { continue }  // the deadline check at the top decides
            if fds[1].revents != 0 {
                var bytes = [UInt8](repeating: 0, count: 64)
                while read(interruption.read, &bytes, bytes.count) > 0 {}
                return .interrupted
            }
            if fds.dropFirst(2).contains(where: { $0.revents != 0 }) { return .processExited }
            if source.drain() { return .changed }
        }
    }

    /// Ends the current (or next) `wait` with `.interrupted`; callable from any thread.
    public func interrupt() {
        var one: UInt8 = 1
        _ = write(interruption.write, &one, 1)
    }

    /// The changes as an async sequence: one element per wake (several changes may come as one). The feed
    /// runs on a thread of its own until the sequence's consumer stops; it serves nothing else meanwhile.
    public func stream() -> AsyncStream<Void> {
        let feed = self
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let stopped = StopFlag()
        continuation.onTermination = { _ in
            stopped.stop()
            feed.interruptFromAnyThread()
        }
        let thread = Thread {
            while !stopped.isStopped {
                switch feed.wait(until: nil) {
                case .changed, .processExited: continuation.yield()
                case .interrupted, .deadline: continue
                }
            }
            continuation.finish()
        }
        thread.name = "scopelock change feed"
        thread.start()
        return stream
    }
}

extension ChangeFeed {
    /// `wait(until:orExitOf:)` on a thread of its own, so that an async caller blocks no shared thread;
    /// the wait also ends when the calling task is cancelled. `processes` are watched through pidfds.
    public func waitOnThread(until deadline: ContinuousClock.Instant?, orExitOf processes: [Holder] = []) async {
        let descriptors = processes.compactMap { $0.exitDescriptor() }
        defer { for fd in descriptors { close(fd) } }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    _ = wait(until: deadline, orExitOf: descriptors)
                    continuation.resume()
                }
                thread.start()
            }
        } onCancel: {
            interruptFromAnyThread()
        }
    }
}

extension ChangeFeed: @unchecked Sendable {
    /// `interrupt()`, for the stream's termination handler: the pipe write is thread-safe.
    fileprivate func interruptFromAnyThread() { interrupt() }
}

/// A flag one thread sets and another reads.
private final class StopFlag: Sendable {
    private let value = Mutex(false)
    func stop() { value.withLock { $0 = true } }
    var isStopped: Bool { value.withLock { $0 } }
}
