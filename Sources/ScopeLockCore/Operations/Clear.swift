import Foundation
import ScopeLockProtocol

/// `clear`: the workflow is done; remove `locks/`. Refused while active or invalid records exist, unless `force`.
public struct ClearRequest: Codable, Sendable {
    public var force: Bool?

    public init(force: Bool? = nil) { self.force = force }
}

public struct ClearResult: Encodable, Sendable {
    /// The agents whose records were removed.
    public let removed: [String]
    /// Whether `locks/` itself is gone (false when it did not exist, or a new lock arrived meanwhile).
    public let directoryRemoved: Bool

    enum CodingKeys: String, CodingKey {
        case removed
        case directoryRemoved = "directory_removed"
    }
}

extension Workspace {
    public func clear(_ request: ClearRequest) -> Outcome<ClearResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let force = request.force ?? false
            guard try store.snapshot().exists else {
                return Outcome(ClearResult(removed: [], directoryRemoved: false))
            }
            var removed: [String] = []
            let outcome = try store.transact { snapshot throws(ErrorInfo) in
                let time = now()
                if !force {
                    if let invalid = snapshot.firstInvalid?.invalidError { throw invalid }
                    let active = snapshot.records.compactMap(\.record).filter { $0.isActive(at: time) }.map(\.agent)
                    if !active.isEmpty {
                        var error = ErrorInfo(
                            .conflict,
                            "\(active.count) active lock(s) remain (\(active.joined(separator: ", "))): release them first, or clear --force"
                        )
                        error.agents = active
                        throw error
                    }
                }
                removed = snapshot.records.map(\.agent)
                return [.removeAll]
            }
            var warnings: [ResultWarning] = []
            if !outcome.directoryRemoved {
                warnings.append(ResultWarning(code: "directory_kept", message: "a new lock was taken while clearing; \(store.location) was kept"))
            }
            return Outcome(ClearResult(removed: removed, directoryRemoved: outcome.directoryRemoved), warnings: warnings)
        }
    }

}
