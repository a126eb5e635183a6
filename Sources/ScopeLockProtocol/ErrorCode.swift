/// The stable error codes of the interface contract (section 4).
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case conflict
    case notOwner = "not_owner"
    case notFound = "not_found"
    case lost
    case invalidInput = "invalid_input"
    case invalidLock = "invalid_lock"
    case timeout
    case ioError = "io_error"
    case unsafeDirectory = "unsafe_directory"
    case pluginError = "plugin_error"
    case guardViolation = "guard_violation"

    /// The process exit code a command ends with for this error.
    public var exitCode: Int32 {
        switch self {
        case .conflict, .notOwner, .notFound, .lost, .guardViolation: 1
        case .invalidInput: 2
        case .invalidLock, .ioError, .unsafeDirectory, .pluginError: 3
        case .timeout: 4
        }
    }
}
