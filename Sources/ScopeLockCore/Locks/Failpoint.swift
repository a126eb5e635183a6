import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Fault injection for tests: `SCOPELOCK_FAILPOINT=STEP:ACTION` makes this process die (`kill`: SIGKILL
/// itself) or fail (`error`: an `io_error`) when it reaches STEP of a write. Steps, in order:
/// `after-temp-create`, `after-write`, `after-fsync`, `after-rename`, `before-dir-fsync`, `during-release`,
/// `after-epoch`. Unset, it costs one comparison per step.
enum Failpoint: String, CaseIterable {
    case afterTempCreate = "after-temp-create"
    case afterWrite = "after-write"
    case afterFsync = "after-fsync"
    case afterRename = "after-rename"
    case beforeDirectoryFsync = "before-dir-fsync"
    case duringRelease = "during-release"
    case afterEpoch = "after-epoch"

    private static let armed: (step: String, action: String)? = {
        // getenv, not ProcessInfo's environment: that builds a dictionary of the whole environment on each call.
        guard let raw = getenv("SCOPELOCK_FAILPOINT") else { return nil }
        let value = String(cString: raw)
        guard !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "kill")
    }()

    /// Dies or reports a failure here if this step is armed; returns normally otherwise.
    func reach() -> Bool {
        guard let armed = Self.armed, armed.step == rawValue else { return true }
        if armed.action == "error" {
            errno = EIO
            return false
        }
        kill(getpid(), SIGKILL)
        return false
    }
}
