import Foundation
import ScopeLockCore

extension Dashboard {
    /// Sends a new snapshot to the open pages each time the locks change (woken by the store's change
    /// feed, never by a timer); the plan is made again when the manifest file changed. Runs until the process ends.
    public func follow() async {
        guard let changes = workspace.store.changeFeed()?.stream() else {
            try? await Task.sleep(for: .seconds(Int64.max / 2))
            return
        }
        var manifestStamp = manifestModification()
        for await _ in changes {
            let stamp = manifestModification()
            await refresh(replan: stamp != manifestStamp)
            manifestStamp = stamp
        }
    }

    /// When the manifest was last written, to know when to plan again.
    private func manifestModification() -> Date? {
        guard let manifest else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: manifest))?[.modificationDate] as? Date
    }
}
