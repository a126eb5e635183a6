import Foundation
import ScopeLockCore

/// A fixed clock for golden tests: when `SCOPELOCK_TEST_NOW` holds an RFC 3339 time, every command of this
/// process takes it as the current time (lock times, time left). It exists for tests only: never set it
/// where real agents run, or locks would never expire.
enum TestClock {
    static let variable = "SCOPELOCK_TEST_NOW"

    /// The clock commands use: the fixed time when the variable is set and valid, else the system clock.
    static func now(environment: [String: String] = ProcessEnvironment.current) -> @Sendable () -> Date {
        guard let text = environment[variable], let fixed = Timestamp.parse(text) else { return { Date() } }
        return { fixed }
    }
}
