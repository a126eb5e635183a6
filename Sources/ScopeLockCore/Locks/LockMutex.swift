import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// The exclusive `flock` on `locks/.mutex` that serialises every change. The file is never unlinked
/// except by `clear`, so a holder checks after locking that it locked the file still in place.
struct LockMutex {
    static let fileName = ".mutex"
    private let fd: Int32

    /// Waits until the mutex is held, polling `flock(LOCK_NB)` up to `wait`'s deadline (monotonic clock); nil
    /// when the file or directory was replaced meanwhile (retry). Past the deadline: `timeout` for the caller's
    /// own wait, else `io_error`, each naming the holder's pid when the system tells it.
    static func acquire(in directory: LockDirectory, wait: MutexWait) throws(ErrorInfo) -> LockMutex? {
        let path = directory.path + "/" + fileName
        // Non-blocking open: a FIFO put in its place must not hang us; the type is checked right after.
        let fd = openat(directory.fd, fileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP {
                throw ErrorInfo(.unsafeDirectory, "\(path) is a symbolic link", file: path)
            }
            throw SystemError.io("open", path)
        }
        var held = stat()
        guard fstat(fd, &held) == 0, held.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw ErrorInfo(.unsafeDirectory, "\(path) is not a regular file; remove it (no change is possible until then)", file: path)
        }
        var pause: UInt32 = 200  // microseconds, doubled up to 10 ms
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                let error = SystemError.io("lock", path, code)
                close(fd)
                throw error
            }
            let now = ContinuousClock.now
            guard now < wait.deadline else {
                let error = timedOut(path: path, inode: held, wait: wait)
                close(fd)
                throw error
            }
            let left = now.duration(to: wait.deadline).components
            let leftMicroseconds = left.seconds >= 1 ? UInt32.max : UInt32(left.attoseconds / 1_000_000_000_000) + 1
            usleep(min(pause / 2 + UInt32.random(in: 0...pause / 2), leftMicroseconds))
            pause = min(pause * 2, 10_000)
        }
        var named = stat()
        guard fstatat(directory.fd, fileName, &named, AT_SYMLINK_NOFOLLOW) == 0,
              held.st_ino == named.st_ino, held.st_dev == named.st_dev, directory.isCurrent()
        else {
            close(fd)
            return nil
        }
        return LockMutex(fd: fd)
    }

    /// Unlocks (closing the descriptor drops the `flock`).
    func release() { close(fd) }

    /// The error for a wait that ran out.
    private static func timedOut(path: String, inode: stat, wait: MutexWait) -> ErrorInfo {
        let holder = holderPID(of: inode).map { "process \($0) (`ps -p \($0)`)" } ?? "another process"
        if wait.isCallersWait {
            return ErrorInfo(.timeout, "gave up waiting: \(holder) holds \(path), the lock directory's mutex, and did not let go", file: path)
        }
        return ErrorInfo(
            .ioError,
            "\(holder) has held \(path), the lock directory's mutex, for over \(MutexWait.standardSeconds)s; "
                + "a stopped or hung process keeps every change waiting: resume it (kill -CONT) or end it, then try again",
            file: path
        )
    }

    /// The pid holding an `flock` on the file `info` describes, from `/proc/locks`; nil when unknown.
    static func holderPID(of info: stat) -> Int32? {
        guard let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let device = UInt64(info.st_dev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        let wanted = String(major, radix: 16) + ":" + String(minor, radix: 16) + ":" + String(UInt64(info.st_ino))
        for line in table.split(separator: "\n") where !line.contains("->") {
            let fields = line.split(separator: " ")
            // `1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF`
            guard fields.count >= 6, fields[1] == "FLOCK" else { continue }
            let file = fields[5].split(separator: ":")
            guard file.count == 3 else { continue }
            let normalized = file.map { part in String(part.drop { $0 == "0" }.isEmpty ? "0" : String(part.drop { $0 == "0" })) }
            let given = wanted.split(separator: ":").map(String.init)
            guard normalized[0] == given[0], normalized[1] == given[1], normalized[2] == given[2] else { continue }
            if let pid = CheckedNumber.integer(fields[4], in: 1...Int64(Int32.max)) { return Int32(pid) }
        }
        return nil
    }
}
