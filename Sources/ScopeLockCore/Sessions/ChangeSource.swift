/// Where a `ChangeFeed` hears of changes: a descriptor that becomes readable when the store may have
/// changed (inotify on a locks folder, an etcd watch stream), and a way to consume what made it readable.
public protocol ChangeSource: AnyObject, Sendable {
    /// Readable when something may have changed; the source owns it.
    var descriptor: Int32 { get }
    /// Consumes what is pending; true when it is a change worth looking at.
    func drain() -> Bool
    /// Ends whatever the source runs in the background; called once, when its feed goes.
    func stop()
}
