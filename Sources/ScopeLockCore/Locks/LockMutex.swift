#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// The exclusive `flock` on `locks/.mutex` that serialises every change. The file is never unlinked
/// except by `clear`, so a holder checks after locking that it locked the file still in place.
struct LockMutex {
    static let fileName = ".mutex"
    private let fd: Int32

    /// Blocks until the mutex is held; nil when the file or directory was replaced meanwhile (retry).
    static func acquire(in directory: LockDirectory) throws(ErrorInfo) -> LockMutex? {
        let fd = openat(directory.fd, fileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP {
                throw ErrorInfo(.unsafeDirectory, "\(directory.path)/\(fileName) is a symbolic link", file: directory.path + "/" + fileName)
            }
            throw SystemError.io("open", directory.path + "/" + fileName)
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let error = SystemError.io("lock", directory.path + "/" + fileName)
                close(fd)
                throw error
            }
        }
        var held = stat()
        var named = stat()
        guard fstat(fd, &held) == 0, fstatat(directory.fd, fileName, &named, AT_SYMLINK_NOFOLLOW) == 0,
              held.st_ino == named.st_ino, held.st_dev == named.st_dev, directory.isCurrent()
        else {
            close(fd)
            return nil
        }
        return LockMutex(fd: fd)
    }

    /// Unlocks (closing the descriptor drops the `flock`).
    func release() { close(fd) }
}
