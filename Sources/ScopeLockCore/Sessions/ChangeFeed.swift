import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// Tells whoever waits that the locks folder changed: a record or waiter was written or removed, an event
/// was logged, or the folder itself appeared or went away. On Linux it listens with inotify, so a change
/// wakes a waiter at once — nothing polls on a timer. The folder need not exist: the feed watches the
/// nearest folder above it that does, and moves down when it appears.
///
/// One feed serves one waiter at a time (`wait(until:orExitOf:)`); `changes(in:)` is the same as an
/// async sequence for front ends that redraw (`status --watch`, the dashboard, MCP subscriptions).
/// A wake means "look again", never what changed; several changes may arrive as one wake.
public final class ChangeFeed {
    /// The folder watched (a file store's `locks/`).
    public let directory: String
    private let inotify: Int32
    /// A pipe `interrupt()` writes to, to end a wait from another thread: read end, write end.
    private let interruption: (read: Int32, write: Int32)
    /// The watch on `directory`, when it exists.
    private var folderWatch: Int32 = -1
    /// The watch on the nearest existing folder above `directory`, while `directory` is missing.
    private var ancestorWatch: Int32 = -1

    /// What ended a wait.
    public enum Wake: Sendable, Equatable {
        /// The folder changed (or may have: look again).
        case changed
        /// One of the processes given to `wait` exited.
        case processExited
        /// The deadline passed with no change.
        case deadline
        /// `interrupt()` was called.
        case interrupted
    }

    /// Starts watching `directory`; throws `io_error` when inotify is not available.
    public init(directory: String) throws(ErrorInfo) {
        self.directory = directory
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw SystemError.io("watch", directory) }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let error = SystemError.io("watch", directory)
            close(inotify)
            throw error
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        interruption = (ends[0], ends[1])
        arm()
    }

    deinit {
        close(inotify)
        close(interruption.read)
        close(interruption.write)
    }

    /// The changes a record store makes: files created, renamed into place, removed, written.
    private static let folderMask = UInt32(IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB)
        | UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    /// What tells that a missing folder (or one above it) may have appeared.
    private static let ancestorMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// Watches `directory` if it exists, else the nearest existing folder above it.
    private func arm() {
        if folderWatch >= 0 { inotify_rm_watch(inotify, folderWatch) }
        if ancestorWatch >= 0 { inotify_rm_watch(inotify, ancestorWatch) }
        folderWatch = -1
        ancestorWatch = -1
        folderWatch = inotify_add_watch(inotify, directory, Self.folderMask | UInt32(IN_DONT_FOLLOW))
        guard folderWatch < 0 else { return }
        var above = (directory as NSString).deletingLastPathComponent
        while !above.isEmpty {
            ancestorWatch = inotify_add_watch(inotify, above, Self.ancestorMask)
            if ancestorWatch >= 0 || above == "/" { return }
            above = (above as NSString).deletingLastPathComponent
        }
    }

    /// Blocks until the folder changes, one of `processes` (pidfds, e.g. from `Holder.exitDescriptor()`)
    /// exits, or `deadline` passes (nil: no deadline). The clock is monotonic.
    public func wait(until deadline: ContinuousClock.Instant?, orExitOf processes: [Int32] = []) -> Wake {
        while true {
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: interruption.read, events: Int16(POLLIN), revents: 0)]
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
            if drainEvents() { return .changed }
        }
    }

    /// Ends the current (or next) `wait` with `.interrupted`; callable from any thread.
    public func interrupt() {
        var one: UInt8 = 1
        _ = write(interruption.write, &one, 1)
    }

    /// Reads every pending inotify event; true when one of them is a change worth looking at. Writes of
    /// temp files and the mutex are not (the rename or removal that follows is).
    private func drainEvents() -> Bool {
        var changed = false
        var rearm = false
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(inotify, buffer, size)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = offset + MemoryLayout<inotify_event>.size
                var name = ""
                if event.len > 0 {
                    let bytes = UnsafeRawBufferPointer(start: buffer + nameStart, count: Int(event.len))
                    name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                offset = nameStart + Int(event.len)
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { changed = true; rearm = true; continue }
                if event.wd == ancestorWatch || event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                    rearm = true
                    changed = true
                    continue
                }
                if name.hasPrefix(LockDirectory.tempPrefix) || name == LockMutex.fileName { continue }
                changed = true
            }
        }
        if rearm { arm() }
        return changed
    }

    /// The changes of `directory` as an async sequence: one element per wake (several changes may come as
    /// one). The feed runs on a thread of its own until the sequence's consumer stops.
    public static func changes(in directory: String) throws(ErrorInfo) -> AsyncStream<Void> {
        let feed = try ChangeFeed(directory: directory)
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
