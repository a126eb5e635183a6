#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// `locks/.epoch`: the last fencing token issued, as decimal text. Only read and written under the mutex.
///
/// It fails closed: a `.epoch` that is not a regular file, or does not hold a whole number from 0 to 2^53 - 1,
/// is `invalid_lock` naming the file, and no token is issued until a person repairs it, because no token on
/// disk tells how high the tokens of released locks went. An empty file reads as 0: it is what a writer killed
/// between creating the file and its first write leaves (the file is always overwritten in place, never
/// truncated), and no record carries a token from it yet.
struct Epoch {
    static let fileName = ".epoch"
    let directory: LockDirectory

    /// The last token issued, 0 when none was.
    func read() throws(ErrorInfo) -> Int64 {
        // Non-blocking, so a FIFO put in its place cannot hang the mutex holder; its type is checked below.
        let fd = openat(directory.fd, Self.fileName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return 0 }
            if errno == ELOOP { throw damaged("it is a symbolic link") }
            throw SystemError.io("open", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.io("inspect", path) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw damaged("it is not a regular file") }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 64, 0) }
        guard count >= 0 else { throw SystemError.io("read", path) }
        if count == 0 { return 0 }
        var text = buffer[0..<count]
        while let last = text.last, last == 10 || last == 13 || last == 32 || last == 9 { text = text.dropLast() }
        guard count < 64, let token = CheckedNumber.integer(String(decoding: text, as: UTF8.self), in: 0...CheckedNumber.largestExactInteger)
        else { throw damaged("it does not hold a whole number from 0 to 2^53 - 1") }
        return token
    }

    /// Records `token` as the last issued, durably, before any record carrying it is visible.
    func write(_ token: Int64) throws(ErrorInfo) {
        let fd = openat(directory.fd, Self.fileName, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw SystemError.io("open", path) }
        defer { close(fd) }
        // Fixed width, so an in-place overwrite never leaves stale digits behind.
        let digits = String(token)
        let text = String(repeating: "0", count: max(0, 19 - digits.count)) + digits + "\n"
        let ok = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) == $0.count }
        guard ok, fdatasync(fd) == 0, Failpoint.afterEpoch.reach() else { throw SystemError.io("write", path) }
    }

    /// The `invalid_lock` error for a damaged `.epoch`.
    private func damaged(_ why: String) -> ErrorInfo {
        ErrorInfo(
            .invalidLock,
            "\(path) is damaged (\(why)); it holds the last fencing token issued, so no lock is granted until it is repaired: "
                + "write a number at least as large as the highest token ever issued (see events.jsonl), "
                + "or start afresh with `scopelock clear --force`",
            file: path
        )
    }

    private var path: String { directory.path + "/" + Self.fileName }
}
