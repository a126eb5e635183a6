import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// A file store's change source: inotify on its locks folder. The folder need not exist: the watch is on the
/// nearest folder above it that does, and moves down when it appears.
final class FolderWatch: ChangeSource, @unchecked Sendable {
    /// The folder watched (a file store's `locks/`).
    let directory: String
    private let inotify: Int32
    /// The watch on `directory`, when it exists (touched only by the feed's waiting thread).
    private var folderWatch: Int32 = -1
    /// The watch on the nearest existing folder above `directory`, while `directory` is missing.
    private var ancestorWatch: Int32 = -1

    /// Starts watching `directory`; throws `io_error` when inotify is not available.
    init(directory: String) throws(ErrorInfo) {
        self.directory = directory
        inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard inotify >= 0 else { throw SystemError.io("watch", directory) }
        arm()
    }

    deinit { close(inotify) }

    var descriptor: Int32 { inotify }

    func stop() {}

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

    /// Reads every pending inotify event; true when one of them is a change worth looking at. Writes of
    /// temp files and the mutex are not (the rename or removal that follows is).
    func drain() -> Bool {
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
}
