#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Records already read, by file identity, so that a long-running process (`serve`, `mcp`) does not read and
/// parse an unchanged record again on every request.
///
/// A file whose device, inode, size, modification time and change time are those seen when it was read holds
/// the same bytes: this tool never rewrites a record in place (a new file is renamed over it, so a new inode),
/// and a write in place by hand moves the times (which the kernel keeps distinct for changes made after a
/// `stat` saw them).
final class RecordCache: Sendable {
    /// What identifies one version of a file.
    struct Identity: Hashable, Sendable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modified: timespec
        let changed: timespec

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        static func == (lhs: Identity, rhs: Identity) -> Bool {
            lhs.device == rhs.device && lhs.inode == rhs.inode && lhs.size == rhs.size
                && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
                && lhs.changed.tv_sec == rhs.changed.tv_sec && lhs.changed.tv_nsec == rhs.changed.tv_nsec
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(inode)
            hasher.combine(modified.tv_nsec)
        }
    }

    /// The cache every store in this process shares.
    static let shared = RecordCache()

    /// Past this many paths the cache starts again (records of agents long gone are not kept forever).
    static let capacity = 100_000

    private let entries = Mutex<[String: (identity: Identity, record: StoredRecord)]>([:])

    /// The record read from `path`, if the file there still has the identity it had then. `currentIdentity`
    /// (a `stat` of the path) is asked only when something was read from `path`: a fresh process pays nothing.
    func record(at path: String, currentIdentity: () -> Identity?) -> StoredRecord? {
        guard let entry = entries.withLock({ $0[path] }), currentIdentity() == entry.identity else { return nil }
        return entry.record
    }

    /// Keeps `record`, read whole from `path` while the file had `identity`.
    func remember(_ record: StoredRecord, at path: String, identity: Identity) {
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[path] == nil { entries.removeAll() }
            entries[path] = (identity, record)
        }
    }
}
