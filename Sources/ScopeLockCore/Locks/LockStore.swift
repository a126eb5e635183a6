import ScopeLockProtocol

/// Where lock records live. Every change runs as one transaction: the store hands `decide` a consistent
/// snapshot, then applies the changes it returns before anyone else can change the records.
public protocol LockStore: Sendable {
    /// A human description of where the records are (a directory, an endpoint).
    var location: String { get }

    /// The selected records as they are now, without exclusive access. Writes nothing.
    func snapshot(_ selection: RecordSelection) throws(ErrorInfo) -> LockSnapshot

    /// Runs `decide` with exclusive access to the records and applies the changes it returns, all or nothing.
    /// `decide` sees at least the selected records; a grant needs them all. Waiting for exclusive access ends
    /// at `wait`'s deadline (monotonic clock).
    func transact(
        _ selection: RecordSelection, wait: MutexWait, _ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]
    ) throws(ErrorInfo) -> TransactionOutcome

    /// A feed that wakes a waiter when the records change; nil when the store has none (the waiter then
    /// looks again after a short pause).
    func changeFeed() -> ChangeFeed?
}

/// Which records a read or a transaction needs: a store may hand over more, never fewer.
public enum RecordSelection: Sendable {
    /// Every record (conflict checks, grants, listings).
    case all
    /// One agent's record (release, renew): a file store reads that one file.
    case agent(String)
}

extension LockStore {
    /// Every record as it is now.
    public func snapshot() throws(ErrorInfo) -> LockSnapshot { try snapshot(.all) }

    public func changeFeed() -> ChangeFeed? { nil }

    /// A transaction that waits at most the standard bound for exclusive access.
    public func transact(
        _ selection: RecordSelection, _ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]
    ) throws(ErrorInfo) -> TransactionOutcome {
        try transact(selection, wait: .standard(), decide)
    }

    /// A transaction that sees every record.
    public func transact(_ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]) throws(ErrorInfo) -> TransactionOutcome {
        try transact(.all, decide)
    }
}

/// The records a transaction or a read sees.
public struct LockSnapshot: Sendable {
    public let records: [StoredRecord]
    /// False when the store holds nothing at all (for files: `locks/` does not exist).
    public let exists: Bool
    /// The processes waiting for a scope, in no particular order (with `.all` only).
    public let waiters: [Waiter]

    public init(records: [StoredRecord], exists: Bool = true, waiters: [Waiter] = []) {
        self.records = records
        self.exists = exists
        self.waiters = waiters
    }

    /// The record stored for `agent`, if any.
    public func record(for agent: String) -> StoredRecord? { records.first { $0.agent == agent } }

    /// The first invalid record, if any.
    public var firstInvalid: StoredRecord? { records.first { $0.record == nil } }
}

/// One change a transaction applies.
public enum LockChange: Sendable {
    /// A new grant: written with a fresh fencing token (event `acquire`).
    case grant(LockRecord)
    /// An existing record rewritten with its token kept (event `renew`).
    case rewrite(LockRecord)
    /// An existing record's scope changed, its token kept (`acquire --add`, partial release), logged as `event`.
    case amend(LockRecord, event: LockEvent.Kind)
    /// A waiter joins the queue (event `wait`).
    case enqueue(Waiter)
    /// A waiter leaves the queue (granted, gave up, or gone).
    case dequeue(agent: String)
    /// The agent's record removed, logged as `event`.
    case remove(agent: String, token: Int64?, event: LockEvent.Kind)
    /// Every record and the locks directory removed (event `clear`).
    case removeAll
    /// Nothing changes; the event is logged (a refused acquire). A store without an event log ignores it.
    case log(LockEvent)
}

/// What a transaction did.
public struct TransactionOutcome: Sendable {
    /// The records written, with the tokens they were given.
    public var written: [LockRecord] = []
    /// With `removeAll`: whether the locks directory itself could be removed.
    public var directoryRemoved = false

    public init() {}
}
