#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// `locks/.epoch`: the last fencing token issued, as decimal text. Only read and written under the mutex.
struct Epoch {
    static let fileName = ".epoch"
    let directory: LockDirectory

    /// The last token issued, 0 when none was.
    func read() throws(ErrorInfo) -> Int64 {
        let fd = openat(directory.fd, Self.fileName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return 0 }
            throw SystemError.io("open", path)
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, 64, 0) }
        guard count >= 0 else { throw SystemError.io("read", path) }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int64(text) ?? 0
    }

    /// Records `token` as the last issued, durably, before any record carrying it is visible.
    func write(_ token: Int64) throws(ErrorInfo) {
        let fd = openat(directory.fd, Self.fileName, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw SystemError.io("open", path) }
        defer { close(fd) }
        // Fixed width, so an in-place overwrite never leaves stale digits behind.
        let digits = String(token)
        let text = String(repeating: "0", count: max(0, 19 - digits.count)) + digits + "\n"
        let ok = Array(text.utf8).withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) == $0.count }
        guard ok, fdatasync(fd) == 0, Failpoint.afterEpoch.reach() else { throw SystemError.io("write", path) }
    }

    private var path: String { directory.path + "/" + Self.fileName }
}

import Foundation
