import Foundation
@testable import ScopeLockCore
import Testing

@Suite struct ProcessEnvironmentTests {
    /// The environment read from `environ` is the one Foundation gives (the tests set no variable: other tests
    /// read the environment at the same time).
    @Test func itIsWhatProcessInfoGives() {
        let environment = ProcessEnvironment.current
        #expect(environment["PATH"] != nil)
        #expect(environment == ProcessInfo.processInfo.environment)
    }
}
