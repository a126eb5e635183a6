#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// Turns the current `errno` into an error a user can act on.
enum SystemError {
    /// The text of `errno`.
    static func describe(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// An `io_error` saying what failed on which file.
    static func io(_ action: String, _ path: String, _ code: Int32 = errno) -> ErrorInfo {
        ErrorInfo(.ioError, "cannot \(action) \(path): \(describe(code))", file: path)
    }
}
