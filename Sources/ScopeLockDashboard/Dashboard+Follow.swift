import Foundation
import ScopeLockCore

extension Dashboard {
    /// Keeps serving until the process ends. Live updates are sent by `refresh` when a change feed wakes it.
    public func follow() async {
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }
}
