import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// Everything the page shows at one moment, as the JSON the page reads (`/api/state` and each server-sent
/// `state` event): where the locks are, `status`, the last events, and the manifest's plan.
public struct DashboardSnapshot: Encodable, Sendable {
    /// The page's format version.
    public let version = 1
    public let generatedAt: String
    public let root: String
    public let locksFolder: String
    public let store: String
    public let status: Outcome<StatusResult>
    /// The last events, oldest first (at most `DashboardSnapshot.eventLimit`).
    public let events: Outcome<EventsResult>
    /// The manifest's plan; absent without a manifest.
    public let plan: Outcome<PlanResult>?
    /// The manifest drawn, when there is one.
    public let manifest: String?

    /// How many of the latest events the page shows.
    public static let eventLimit = 50

    enum CodingKeys: String, CodingKey {
        case version, root, store, status, events, plan, manifest
        case generatedAt = "generated_at"
        case locksFolder = "locks_folder"
    }

    /// The snapshot of `workspace` now, with `plan` as already made.
    public init(workspace: Workspace, manifest: String?, plan: Outcome<PlanResult>?) {
        generatedAt = Timestamp.format(workspace.now())
        root = workspace.normalizer.root
        locksFolder = workspace.store.location
        store = workspace.store is FileLockStore ? "file" : "etcd"
        status = workspace.status(StatusRequest())
        let all = workspace.store is FileLockStore ? workspace.events(EventsRequest()) : Outcome(EventsResult(file: "", events: [], skipped: 0))
        if let value = all.value {
            events = Outcome(
                EventsResult(file: value.file, events: Array(value.events.suffix(Self.eventLimit)), skipped: value.skipped),
                warnings: all.warnings
            )
        } else {
            events = all
        }
        self.plan = plan
        self.manifest = manifest
    }
}
