import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// An open `locks/` directory: every file operation goes through its descriptor (`openat`, `renameat`),
/// so a path swapped for a symlink mid-way cannot redirect a write outside it.
final class LockDirectory {
    let path: String
    let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Opens `path`, creating it (and its parents) when `create` is set; nil when absent and not created.
    /// A symlink, a non-directory, or a world-writable directory owned by someone else is `unsafe_directory`.
    static func open(_ path: String, create: Bool) throws(ErrorInfo) -> LockDirectory? {
        if create { try makeDirectories(path) }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            switch code {
            case ENOENT where !create: return nil
            case ELOOP, ENOTDIR:
                var info = stat()
                let isLink = lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
                throw ErrorInfo(
                    .unsafeDirectory,
                    isLink ? "locks directory \(path) is a symbolic link; refusing to follow it" : "locks directory \(path) is not a directory",
                    file: path
                )
            default: throw SystemError.io("open", path, code)
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SystemError.io("inspect", path)
            close(fd)
            throw error
        }
        if info.st_mode & S_IWOTH != 0, info.st_uid != geteuid() {
            close(fd)
            throw ErrorInfo(
                .unsafeDirectory,
                "locks directory \(path) is world-writable and not owned by you; anyone could replace its records (chmod o-w it)",
                file: path
            )
        }
        if !FilesystemKind.allowed, let kind = FilesystemKind.riskyType(of: path, device: UInt64(info.st_dev)) {
            close(fd)
            throw ErrorInfo(
                .unsafeDirectory,
                "locks directory \(path) is on \(kind), where file locks and renames are not reliable across machines; "
                    + "use --store etcd://..., or set SCOPELOCK_ALLOW_NETWORK_FS=1 if only this machine uses it",
                file: path
            )
        }
        return LockDirectory(path: path, fd: fd)
    }

    /// `mkdir -p`, honouring the umask.
    static func makeDirectories(_ path: String) throws(ErrorInfo) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o777) != 0, errno != EEXIST { throw SystemError.io("create directory", prefix) }
        }
    }

    /// Whether this descriptor still names the directory at `path` (it was not removed by `clear`).
    func isCurrent() -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, lstat(path, &named) == 0 else { return false }
        return open.st_dev == named.st_dev && open.st_ino == named.st_ino && open.st_nlink > 0
    }

    /// The names in the directory, `.` and `..` left out.
    func names() throws(ErrorInfo) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            throw SystemError.io("list", path)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { result.append(name) }
        }
        return result
    }

    /// The selected records, and with `.all` the waiters.
    func snapshot(_ selection: RecordSelection) throws(ErrorInfo) -> LockSnapshot {
        guard case .all = selection else { return LockSnapshot(records: try readRecords(selection)) }
        let names = try names().sorted()
        var records: [StoredRecord] = []
        var waiters: [Waiter] = []
        for name in names where !name.hasPrefix(".") {
            if name.hasSuffix(".lock") {
                if let record = readRecord(named: name) { records.append(record) }
            } else if name.hasSuffix(Waiter.fileSuffix), let waiter = readWaiter(named: name) {
                waiters.append(waiter)
            }
        }
        return LockSnapshot(records: records, waiters: waiters)
    }

    /// Reads one waiter file; nil when it vanished or cannot be read.
    func readWaiter(named name: String) -> Waiter? {
        let recordFD = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard recordFD >= 0 else { return nil }
        defer { close(recordFD) }
        var info = stat()
        guard fstat(recordFD, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= 64 * 1024 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(recordFD, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        return Waiter(agent: String(name.dropLast(Waiter.fileSuffix.count)), bytes: Array(bytes[0..<count]))
    }

    /// Reads the selected `*.lock` records; unreadable ones come back invalid, never skipped.
    func readRecords(_ selection: RecordSelection) throws(ErrorInfo) -> [StoredRecord] {
        if case .agent(let agent) = selection { return readRecord(named: agent + ".lock").map { [$0] } ?? [] }
        var records: [StoredRecord] = []
        for name in try names().sorted() where name.hasSuffix(".lock") && !name.hasPrefix(".") {
            if let record = readRecord(named: name) { records.append(record) }
        }
        return records
    }

    /// Reads one record file without following symlinks or blocking on a FIFO; nil when it vanished
    /// after the directory was listed (released meanwhile: readers take no lock).
    func readRecord(named name: String) -> StoredRecord? {
        let agent = String(name.dropLast(".lock".count))
        let file = path + "/" + name
        do throws(ErrorInfo) { try AgentName.validate(agent) } catch {
            return StoredRecord(agent: agent, path: file, content: .invalid(reason: "the file name is not a valid agent name"))
        }
        let known = RecordCache.shared.record(at: file) { () -> RecordCache.Identity? in
            var seen = stat()
            guard fstatat(fd, name, &seen, AT_SYMLINK_NOFOLLOW) == 0, seen.st_mode & S_IFMT == S_IFREG else { return nil }
            return RecordCache.Identity(seen)
        }
        if let known { return known }
        for _ in 0..<100 {
            let recordFD = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if recordFD < 0 {
                if errno == ENOENT { return nil }
                let reason = errno == ELOOP ? "it is a symbolic link" : "cannot open: \(SystemError.describe())"
                return StoredRecord(agent: agent, path: file, content: .invalid(reason: reason))
            }
            defer { close(recordFD) }
            if let record = Self.readOpenRecord(recordFD, agent: agent, file: file) { return record }
        }
        return StoredRecord(agent: agent, path: file, content: .invalid(reason: "it kept being replaced while being read"))
    }

    /// Reads the record open on `recordFD`; nil when the file had already been renamed over or removed
    /// (no links left) by the time it was inspected, so the caller opens the name again.
    static func readOpenRecord(_ recordFD: Int32, agent: String, file: String) -> StoredRecord? {
        func invalid(_ reason: String) -> StoredRecord {
            StoredRecord(agent: agent, path: file, content: .invalid(reason: reason))
        }
        var info = stat()
        guard fstat(recordFD, &info) == 0 else { return invalid("cannot inspect: \(SystemError.describe())") }
        guard info.st_mode & S_IFMT == S_IFREG else { return invalid("it is not a regular file") }
        if info.st_nlink == 0 { return nil }
        guard info.st_nlink == 1 else { return invalid("it has \(info.st_nlink) hard links") }
        guard info.st_size <= LockRecord.maximumFileSize else { return invalid("it is larger than 1 MiB") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(recordFD, $0.baseAddress! + count, $0.count - count) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { return invalid("cannot read: \(SystemError.describe())") }
            if got == 0 { break }
            count += got
        }
        guard count <= LockRecord.maximumFileSize else { return invalid("it is larger than 1 MiB") }
        let record = StoredRecord(agent: agent, path: file, data: Array(bytes[0..<count]))
        var after = stat()
        if fstat(recordFD, &after) == 0, RecordCache.Identity(after) == RecordCache.Identity(info) {
            RecordCache.shared.remember(record, at: file, identity: RecordCache.Identity(info))
        }
        return record
    }

    /// Removes temp files left by writers that died; only safe while holding the mutex.
    func removeTempFiles() {
        guard let names = try? names() else { return }
        for name in names where name.hasPrefix(LockDirectory.tempPrefix) {
            unlinkat(fd, name, 0)
        }
    }

    static let tempPrefix = ".tmp-"

    /// Writes `data` to `name` atomically: a fresh temp file (`O_CREAT|O_EXCL|O_NOFOLLOW`), fsync, rename.
    /// The caller fsyncs the directory afterwards.
    func writeAtomically(_ data: Data, to name: String) throws(ErrorInfo) {
        let temp = "\(LockDirectory.tempPrefix)\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let tempFD = openat(fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard tempFD >= 0 else { throw SystemError.io("create", path + "/" + temp) }
        var failure: ErrorInfo?
        if !Failpoint.afterTempCreate.reach() || !Self.writeAll(tempFD, data) || !Failpoint.afterWrite.reach() {
            failure = SystemError.io("write", path + "/" + name)
        } else if fdatasync(tempFD) != 0 || !Failpoint.afterFsync.reach() {
            failure = SystemError.io("sync", path + "/" + name)
        }
        close(tempFD)
        if failure == nil, renameat(fd, temp, fd, name) != 0 || !Failpoint.afterRename.reach() {
            failure = SystemError.io("rename into place", path + "/" + name)
        }
        if let failure {
            unlinkat(fd, temp, 0)
            throw failure
        }
    }

    /// Removes `name`; a missing file is fine.
    func remove(_ name: String) throws(ErrorInfo) {
        guard Failpoint.duringRelease.reach() else { throw SystemError.io("remove", path + "/" + name, EIO) }
        if unlinkat(fd, name, 0) != 0, errno != ENOENT {
            if errno == EISDIR, unlinkat(fd, name, AT_REMOVEDIR) == 0 { return }
            throw SystemError.io("remove", path + "/" + name)
        }
    }

    /// Makes renames and removals durable.
    func sync() throws(ErrorInfo) {
        guard Failpoint.beforeDirectoryFsync.reach(), fsync(fd) == 0 else { throw SystemError.io("sync", path) }
    }

    /// Appends lines to `events.jsonl` (not synced: the log is a record, not a source of truth), under the mutex.
    /// The lines go out in one `write`; when it is short (a full disk), the file is cut back to where the lines
    /// began, so the log never holds half a line. A log that is not a regular file (a FIFO put there) is never
    /// opened blocking and never written.
    func appendEvents(_ events: [LockEvent]) {
        guard !events.isEmpty else { return }
        var text = ""
        for event in events { if let line = try? JSONCoding.line(event) { text += line + "\n" } }
        let logFD = openat(fd, "events.jsonl", O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o666)
        guard logFD >= 0 else { return }
        defer { close(logFD) }
        var info = stat()
        guard fstat(logFD, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        let start = info.st_size
        let bytes = Array(text.utf8)
        var written = -1
        while true {
            written = bytes.withUnsafeBytes { write(logFD, $0.baseAddress!, $0.count) }
            if written < 0, errno == EINTR { continue }
            break
        }
        if written != bytes.count { _ = ftruncate(logFD, start) }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}
