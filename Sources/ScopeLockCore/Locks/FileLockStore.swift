import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// The default store: one JSON file per lock in `<output>/locks/`, every change made under an exclusive
/// `flock` on `locks/.mutex`, records replaced by fsynced temp file and rename, tokens from `locks/.epoch`.
public struct FileLockStore: LockStore {
    /// The workflow's output directory.
    public let outputDirectory: String
    /// `<output>/locks`.
    public let locksPath: String
    /// The clock used for event times.
    let now: @Sendable () -> Date

    public init(outputDirectory: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.outputDirectory = outputDirectory
        self.locksPath = (outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/") + "locks"
        self.now = now
    }

    public var location: String { locksPath }

    public func snapshot(_ selection: RecordSelection) throws(ErrorInfo) -> LockSnapshot {
        guard let directory = try LockDirectory.open(locksPath, create: false) else { return LockSnapshot(records: [], exists: false) }
        return try directory.snapshot(selection)
    }

    /// An inotify feed on `locks/` (which need not exist yet).
    public func changeFeed() -> ChangeFeed? { try? ChangeFeed(directory: locksPath) }

    public func transact(
        _ selection: RecordSelection, wait: MutexWait, _ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]
    ) throws(ErrorInfo) -> TransactionOutcome {
        for _ in 0..<100 {
            guard let directory = try LockDirectory.open(locksPath, create: true) else { continue }
            guard let mutex = try LockMutex.acquire(in: directory, wait: wait) else { continue }  // removed by `clear` meanwhile
            defer { mutex.release() }
            directory.removeTempFiles()
            let snapshot = try directory.snapshot(selection)
            let changes = try decide(snapshot)
            return try apply(changes, to: directory, records: snapshot.records)
        }
        throw ErrorInfo(.ioError, "the locks directory \(locksPath) kept being removed while opening it; try again", file: locksPath)
    }

    /// Applies `changes` while the mutex is held: every record is encoded and checked against the reader's
    /// limits first (nothing is written when one would not read back), then the epoch, then the records, then
    /// one directory fsync.
    private func apply(_ changes: [LockChange], to directory: LockDirectory, records: [StoredRecord]) throws(ErrorInfo) -> TransactionOutcome {
        var outcome = TransactionOutcome()
        guard !changes.isEmpty else { return outcome }
        let time = now()
        let grants = changes.filter { if case .grant = $0 { true } else { false } }.count
        let epoch = Epoch(directory: directory)
        var token: Int64 = 0
        var lastToken: Int64 = 0
        if grants > 0 {
            token = max(try epoch.read(), records.compactMap { $0.record?.token }.max() ?? 0)
            guard let last = CheckedNumber.sum(token, Int64(grants), in: 0...CheckedNumber.largestExactInteger) else {
                throw ErrorInfo(
                    .ioError, "the fencing tokens of \(locksPath) are used up (the next would pass 2^53 - 1); start afresh with `scopelock clear --force`",
                    file: locksPath + "/" + Epoch.fileName
                )
            }
            lastToken = last
        }
        var prepared: [(change: LockChange, record: LockRecord?, data: Data?)] = []
        for change in changes {
            switch change {
            case .grant(var record):
                token += 1
                record.token = token
                prepared.append((change, record, try record.writableData()))
            case .rewrite(let record), .amend(let record, _):
                prepared.append((change, record, try record.writableData()))
            case .enqueue(let waiter):
                prepared.append((change, nil, waiter.fileData()))
            case .remove, .removeAll, .log, .dequeue:
                prepared.append((change, nil, nil))
            }
        }
        if grants > 0 { try epoch.write(lastToken) }
        var events: [LockEvent] = []
        for (change, record, data) in prepared {
            switch change {
            case .grant:
                try directory.writeAtomically(data!, to: record!.agent + ".lock")
                outcome.written.append(record!)
                events.append(LockEvent(time: time, event: .acquire, agent: record!.agent, token: record!.token, scope: record!.scope))
            case .rewrite:
                try directory.writeAtomically(data!, to: record!.agent + ".lock")
                outcome.written.append(record!)
                events.append(LockEvent(time: time, event: .renew, agent: record!.agent, token: record!.token, scope: record!.scope))
            case .amend(_, let event):
                try directory.writeAtomically(data!, to: record!.agent + ".lock")
                outcome.written.append(record!)
                events.append(LockEvent(time: time, event: event, agent: record!.agent, token: record!.token, scope: record!.scope))
            case .remove(let agent, let token, let event):
                try directory.remove(agent + ".lock")
                let scope = records.first { $0.agent == agent }?.record?.scope
                events.append(LockEvent(time: time, event: event, agent: agent, token: token, scope: scope))
            case .enqueue(let waiter):
                try directory.writeAtomically(data!, to: waiter.agent + Waiter.fileSuffix)
                events.append(LockEvent(
                    time: time, event: .wait, agent: waiter.agent, token: nil, scope: waiter.directories + waiter.files, conflict: waiter.blockedBy
                ))
            case .dequeue(let agent):
                try directory.remove(agent + Waiter.fileSuffix)
            case .removeAll:
                outcome.directoryRemoved = try removeAll(directory)
                return outcome
            case .log(let event):
                events.append(event)
            }
        }
        if changes.contains(where: { if case .log = $0 { false } else { true } }) { try directory.sync() }
        directory.appendEvents(events)
        return outcome
    }

    /// Removes every file in the directory, the mutex last, then the directory. False when another process
    /// created a file meanwhile (its lock is newer than the clear, and kept).
    private func removeAll(_ directory: LockDirectory) throws(ErrorInfo) -> Bool {
        for name in try directory.names() where name != LockMutex.fileName {
            try directory.remove(name)
        }
        try directory.remove(LockMutex.fileName)
        if rmdir(locksPath) != 0 {
            if errno == ENOTEMPTY || errno == EEXIST { return false }
            throw SystemError.io("remove", locksPath)
        }
        return true
    }
}
