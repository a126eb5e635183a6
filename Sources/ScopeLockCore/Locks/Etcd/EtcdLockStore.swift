import Foundation
import ScopeLockProtocol

/// Lock records in an etcd cluster, for agents on several machines: the same records and guarantees as
/// `FileLockStore`, kept under a key prefix.
///
/// - `<prefix>/locks/<agent>`: the record, byte for byte what the file store writes to `<agent>.lock`,
///   attached to a lease that lasts at least until the record's `expires_at`.
/// - `<prefix>/waiters/<agent>`: a waiter in the queue, byte for byte what the file store writes to
///   `<agent>.wait`, attached to a short lease that its waiting process keeps alive (`EtcdLeaseKeeper`).
/// - `<prefix>/epoch`: the last fencing token issued, and the ids of the last transactions that wrote it.
///
/// A transaction reads the prefix, runs `decide`, and writes with one etcd transaction guarded by the epoch's
/// `mod_revision` (and by no record or waiter having changed or gone since the read). Every writing transaction rewrites the
/// epoch, so of two clients that read the same state only one can commit; the other reads again and decides
/// again. See docs/etcd.md.
public struct EtcdLockStore: LockStore {
    /// The cluster's endpoints and the key prefix.
    public let configuration: EtcdConfiguration
    let client: EtcdClient
    let now: @Sendable () -> Date

    /// How many times a transaction is tried when other clients keep committing first.
    static let maximumAttempts = 50
    /// The longest lease etcd grants, in seconds.
    static let maximumLeaseTTL: Int64 = 9_000_000_000
    /// The TTL of a waiter's lease, in seconds: a waiter whose process stops renewing it leaves the queue
    /// this long after (at once on its own host, where its process is seen to be gone).
    static let waiterLeaseTTL: Int64 = 5
    /// At most this many waiter keys are guarded one by one in a transaction (etcd allows 128 compares by
    /// default); beyond, a waiter that vanished meanwhile only makes the decision more cautious.
    static let guardedWaiters = 100

    /// A store in the cluster `configuration` names; `now` is the clock that lease TTLs are counted from.
    public init(configuration: EtcdConfiguration, now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.client = EtcdClient(configuration: configuration)
        self.now = now
    }

    /// `etcd://host:port,.../prefix`.
    public var location: String { configuration.description }

    private var storePrefix: String { configuration.prefix + "/" }
    private var locksPrefix: String { configuration.prefix + "/locks/" }
    private var waitersPrefix: String { configuration.prefix + "/waiters/" }
    private var epochKey: String { configuration.prefix + "/epoch" }

    // MARK: reading

    /// What one range read of the prefix shows.
    struct State {
        var records: [StoredRecord] = []
        /// The lease of each agent's record (absent or 0: none).
        var leases: [String: Int64] = [:]
        var epoch: EtcdEpoch?
        /// The epoch key's `mod_revision`; 0 when it does not exist.
        var epochRevision: Int64 = 0
        /// The store revision the read saw.
        var revision: Int64 = 0
        /// The readable waiters.
        var waiters: [Waiter] = []
        /// Every waiter key's lease and `mod_revision`, by agent (readable or not).
        var waiterKeys: [String: (lease: Int64, revision: Int64)] = [:]

        var snapshot: LockSnapshot {
            LockSnapshot(records: records, exists: epoch != nil || !records.isEmpty, waiters: waiters)
        }
    }

    /// Reads every record whatever the selection: one range read costs the same.
    public func snapshot(_ selection: RecordSelection) throws(ErrorInfo) -> LockSnapshot {
        do {
            return try read().snapshot
        } catch {
            throw failure(error, .unchanged)
        }
    }

    func read() throws(EtcdFailure) -> State {
        let response = try client.range(prefix: Data(storePrefix.utf8))
        var state = State()
        state.revision = response.header?.revision?.value ?? 0
        var found: [(name: String, record: StoredRecord)] = []
        for kv in response.kvs ?? [] {
            let key = String(decoding: kv.key, as: UTF8.self)
            let value = kv.value ?? Data()
            if key == epochKey {
                state.epoch = EtcdEpoch(data: value)
                state.epochRevision = kv.modRevision?.value ?? 0
                continue
            }
            if key.hasPrefix(waitersPrefix) {
                let agent = String(key.dropFirst(waitersPrefix.count))
                guard !agent.contains("/") else { continue }
                state.waiterKeys[agent] = (kv.lease?.value ?? 0, kv.modRevision?.value ?? 0)
                // An unreadable waiter is passed over, as the file store does: a waiter only orders grants.
                if value.count <= LockRecord.maximumFileSize, let waiter = Waiter(agent: agent, bytes: [UInt8](value)) {
                    state.waiters.append(waiter)
                }
                continue
            }
            guard key.hasPrefix(locksPrefix) else { continue }
            let agent = String(key.dropFirst(locksPrefix.count))
            // A key further down belongs to another prefix nested in this one; it cannot be a record.
            guard !agent.contains("/") else { continue }
            state.leases[agent] = kv.lease?.value ?? 0
            found.append((agent + ".lock", record(agent: agent, key: key, value: value)))
        }
        // The order the file store lists records in: by file name.
        state.records = found.sorted { $0.name < $1.name }.map(\.record)
        return state
    }

    /// A record as stored under `key`, checked as the file store checks a file.
    private func record(agent: String, key: String, value: Data) -> StoredRecord {
        do throws(ErrorInfo) {
            try AgentName.validate(agent)
        } catch {
            return StoredRecord(agent: agent, path: key, content: .invalid(reason: "the key does not end in a valid agent name"))
        }
        guard value.count <= LockRecord.maximumFileSize else {
            return StoredRecord(agent: agent, path: key, content: .invalid(reason: "it is larger than 1 MiB"))
        }
        return StoredRecord(agent: agent, path: key, data: [UInt8](value))
    }

    /// A watch on the store's prefix: a waiter hears of every change within milliseconds.
    public func changeFeed() -> ChangeFeed? {
        guard let watch = try? EtcdWatch(configuration: configuration, prefix: storePrefix) else { return nil }
        return try? ChangeFeed(source: watch)
    }

    // MARK: transactions

    /// One try at writing a decision: the etcd operations, the leases they need, and what the caller is told
    /// when it commits.
    struct Plan: Sendable {
        let transaction: String
        var outcome = TransactionOutcome()
        var compare: [EtcdWire.Compare] = []
        var operations: [EtcdWire.Operation] = []
        /// Leases granted for this try's records.
        var newLeases: [Int64] = []
        /// Leases of the records this try replaces or removes, revoked once it has committed.
        var oldLeases: [Int64] = []
        /// Leases of the waiters this try queues: this process keeps them alive once it has committed.
        var waiterLeases: [Int64] = []
    }

    /// `wait` does not apply: etcd has no mutex to wait for; a transaction retries a bounded number of times.
    public func transact(
        _ selection: RecordSelection, wait: MutexWait, _ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]
    ) throws(ErrorInfo) -> TransactionOutcome {
        // Tries whose answer was lost: one of them may have committed, which the epoch's list of recent
        // transaction ids tells.
        var unresolved: [String: Plan] = [:]
        var delay = 0.002
        for _ in 0..<Self.maximumAttempts {
            let state: State
            do {
                state = try read()
            } catch {
                throw failure(error, unresolved.isEmpty ? .unchanged : .unknown)
            }
            if let applied = state.epoch?.transactions.first(where: { unresolved[$0] != nil }), let plan = unresolved[applied] {
                return finish(plan)
            }
            // etcd keeps no event log: a change that only logs changes nothing here.
            let changes = try decide(state.snapshot).filter { if case .log = $0 { false } else { true } }
            if changes.isEmpty { return TransactionOutcome() }
            try checkWritable(changes, state: state)
            let plan: Plan
            do {
                plan = try prepare(changes, state: state)
            } catch {
                throw failure(error, unresolved.isEmpty ? .unchanged : .unknown)
            }
            let answer: (response: EtcdWire.TxnResponse, uncertain: Bool)
            do {
                answer = try client.txn(EtcdWire.TxnRequest(compare: plan.compare, success: plan.operations))
            } catch EtcdFailure.rejected(let code, let message) where code == 5 && message.contains("lease not found") {
                // A lease ran out before the transaction arrived (a very short TTL, a slow network): try again.
                revoke(plan.newLeases)
                backoff(&delay)
                continue
            } catch {
                if case .unreachable(_, let uncertain) = error, uncertain { unresolved[plan.transaction] = plan }
                if unresolved.isEmpty { revoke(plan.newLeases) }
                throw failure(error, unresolved.isEmpty ? .unchanged : .unknown)
            }
            if answer.response.succeeded == true { return finish(plan) }
            if answer.uncertain {
                // An earlier try of this same call may be the change that made the compare fail.
                unresolved[plan.transaction] = plan
            } else {
                revoke(plan.newLeases)
            }
            backoff(&delay)
        }
        throw ErrorInfo(
            .ioError,
            "gave up after \(Self.maximumAttempts) tries: other clients kept changing the locks in \(location) first; "
                + (unresolved.isEmpty ? "nothing was changed; try again" : "the change may or may not have been made: check with `scopelock status`")
        )
    }

    /// Fails before anything is written when the epoch is damaged (and tokens are needed), tokens would run out,
    /// or a record would not read back ("write what you can read", as the file store).
    private func checkWritable(_ changes: [LockChange], state: State) throws(ErrorInfo) {
        var token = max(state.epoch?.token ?? 0, state.records.compactMap { $0.record?.token }.max() ?? 0)
        for change in changes {
            switch change {
            case .grant(var record):
                if state.epoch?.isDamaged == true {
                    throw ErrorInfo(
                        .invalidLock,
                        "\(epochKey) is damaged (it does not hold a whole number from 0 to 2^53 - 1); it holds the last fencing token "
                            + "issued, so no lock is granted until it is repaired, or start afresh with `scopelock clear --force`",
                        file: epochKey
                    )
                }
                guard let next = CheckedNumber.sum(token, 1, in: 0...CheckedNumber.largestExactInteger) else {
                    throw ErrorInfo(.ioError, "the fencing tokens of \(location) are used up (the next would pass 2^53 - 1)", file: epochKey)
                }
                token = next
                record.token = token
                _ = try record.writableData()
            case .rewrite(let record), .amend(let record, _):
                _ = try record.writableData()
            case .remove, .removeAll, .log, .enqueue, .dequeue:
                break
            }
        }
    }

    /// Turns a decision into one guarded etcd transaction, granting a lease for every record it writes.
    private func prepare(_ changes: [LockChange], state: State) throws(EtcdFailure) -> Plan {
        var plan = Plan(transaction: UUID().uuidString.lowercased())
        let locks = Data(locksPrefix.utf8)
        // The guard: nobody committed since the read (the epoch is rewritten by every change), no record or
        // waiter was written since (not even by hand or another tool), and every waiter read is still there
        // as read (a waiter's lease may run out): two clients never both see themselves first in line.
        plan.compare = [
            state.epochRevision == 0
                ? EtcdWire.Compare(key: Data(epochKey.utf8), target: .create, result: .equal, revision: 0)
                : EtcdWire.Compare(key: Data(epochKey.utf8), target: .mod, result: .equal, revision: state.epochRevision),
            EtcdWire.Compare(
                key: locks, rangeEnd: EtcdWire.rangeEnd(ofPrefix: locks), target: .mod, result: .less,
                revision: state.revision + 1
            ),
        ]
        let waitersRange = Data(waitersPrefix.utf8)
        plan.compare.append(EtcdWire.Compare(
            key: waitersRange, rangeEnd: EtcdWire.rangeEnd(ofPrefix: waitersRange), target: .mod, result: .less, revision: state.revision + 1
        ))
        for (agent, key) in state.waiterKeys.sorted(by: { $0.key < $1.key }).prefix(Self.guardedWaiters) {
            plan.compare.append(EtcdWire.Compare(key: Data((waitersPrefix + agent).utf8), target: .mod, result: .equal, revision: key.revision))
        }
        // The last change to each agent's key wins; etcd refuses a transaction that touches a key twice.
        var order: [String] = []
        var finals: [String: LockRecord?] = [:]
        func set(_ agent: String, _ record: LockRecord?) {
            if finals[agent] == nil { order.append(agent) }
            finals[agent] = .some(record)
        }
        var waiterOrder: [String] = []
        var waiterFinals: [String: Waiter?] = [:]
        func queue(_ agent: String, _ waiter: Waiter?) {
            if waiterFinals[agent] == nil { waiterOrder.append(agent) }
            waiterFinals[agent] = .some(waiter)
        }
        var token = max(state.epoch?.token ?? 0, state.records.compactMap { $0.record?.token }.max() ?? 0)
        for change in changes {
            switch change {
            case .grant(var record):
                token += 1
                record.token = token
                set(record.agent, record)
                plan.outcome.written.append(record)
            case .rewrite(let record), .amend(let record, _):
                set(record.agent, record)
                plan.outcome.written.append(record)
            case .enqueue(let waiter):
                queue(waiter.agent, waiter)
            case .dequeue(let agent):
                queue(agent, nil)
            case .remove(let agent, _, _):
                set(agent, nil)
            case .log:
                continue
            case .removeAll:
                let store = Data(storePrefix.utf8)
                plan.operations = [.delete(key: store, rangeEnd: EtcdWire.rangeEnd(ofPrefix: store))]
                plan.oldLeases = (Array(state.leases.values) + state.waiterKeys.values.map(\.lease)).filter { $0 != 0 }
                plan.outcome.directoryRemoved = true
                return plan
            }
        }
        do throws(EtcdFailure) {
            for agent in order {
                let key = Data((locksPrefix + agent).utf8)
                if let old = state.leases[agent], old != 0 { plan.oldLeases.append(old) }
                guard let record = finals[agent] ?? nil else {
                    plan.operations.append(.delete(key: key, rangeEnd: nil))
                    continue
                }
                let lease = try grantLease(until: record.expiresAt)
                plan.newLeases.append(lease)
                plan.operations.append(.put(key: key, value: record.fileData(), lease: lease))
            }
            for agent in waiterOrder {
                let key = Data((waitersPrefix + agent).utf8)
                if let old = state.waiterKeys[agent]?.lease, old != 0 { plan.oldLeases.append(old) }
                guard let waiter = waiterFinals[agent] ?? nil else {
                    // Gone already (its lease ran out) or never there: deleting nothing is fine.
                    plan.operations.append(.delete(key: key, rangeEnd: nil))
                    continue
                }
                let lease = try client.grantLease(ttl: Self.waiterLeaseTTL)
                plan.newLeases.append(lease)
                plan.waiterLeases.append(lease)
                plan.operations.append(.put(key: key, value: waiter.fileData(), lease: lease))
            }
        } catch {
            revoke(plan.newLeases)
            throw error
        }
        let epoch = (state.epoch ?? EtcdEpoch(token: 0, transactions: [])).next(token: token, transaction: plan.transaction)
        plan.operations.append(.put(key: Data(epochKey.utf8), value: epoch.data, lease: 0))
        return plan
    }

    /// A lease that lasts at least until `expiresAt` by this machine's clock: its TTL, counted by the cluster
    /// from the grant, is the whole seconds left from now, rounded up.
    private func grantLease(until expiresAt: Date) throws(EtcdFailure) -> Int64 {
        let seconds = expiresAt.timeIntervalSince(now()).rounded(.up)
        let ttl = seconds >= Double(Self.maximumLeaseTTL) ? Self.maximumLeaseTTL : max(1, Int64(seconds))
        return try client.grantLease(ttl: ttl)
    }

    /// After a commit: the replaced records' leases are revoked (they hold no key any more).
    private func finish(_ plan: Plan) -> TransactionOutcome {
        for lease in plan.waiterLeases { EtcdLeaseKeeper.keep(lease, with: client) }
        revoke(plan.oldLeases)
        return plan.outcome
    }

    private func revoke(_ leases: [Int64]) {
        for lease in leases {
            EtcdLeaseKeeper.forget(lease)
            client.revokeLease(lease)
        }
    }

    private func backoff(_ delay: inout Double) {
        Thread.sleep(forTimeInterval: delay * Double.random(in: 0.5...1.5))
        delay = min(delay * 2, 0.1)
    }

    // MARK: errors

    /// What a failed call leaves behind.
    enum Aftermath {
        /// Nothing was written.
        case unchanged
        /// A write may or may not have been applied.
        case unknown
    }

    /// The `io_error` for a failed call.
    private func failure(_ error: EtcdFailure, _ aftermath: Aftermath) -> ErrorInfo {
        let endpoints = configuration.endpoints.map(\.description).joined(separator: ", ")
        let consequence = switch aftermath {
        case .unchanged: "nothing was changed"
        case .unknown: "the change may or may not have been made: check with `scopelock status`"
        }
        switch error {
        case .unreachable(let detail, _):
            return ErrorInfo(
                .ioError,
                "cannot reach the etcd cluster at \(endpoints) (\(detail)); \(consequence); "
                    + "start the cluster, or name reachable endpoints with --store or SCOPELOCK_STORE"
            )
        case .rejected(let code, let message):
            return ErrorInfo(.ioError, "the etcd cluster at \(endpoints) refused the request: \(message) (code \(code)); \(consequence)")
        }
    }
}
