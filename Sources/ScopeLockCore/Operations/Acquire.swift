import Foundation
import ScopeLockProtocol

/// `acquire`: take (or replace; with `add`, extend) an agent's lock on a scope, all or nothing.
public struct AcquireRequest: Codable, Sendable {
    public var agent: String
    public var entries: [String]
    public var task: String?
    /// Time to live, e.g. `1h` (default 1 hour).
    public var ttl: String?
    public var shared: Bool?
    /// On conflict, wait in line (first come, first served among overlapping waiters) for this long before
    /// giving up with `timeout`.
    public var wait: String?
    /// Add the entries to the agent's active lock, keeping its token and expiry (without one: a plain acquire).
    public var add: Bool?
    /// The process the lock lives with (its `holder`): once it is gone, the lock is dead.
    public var pid: Int32?
    /// Entries the scope does not cover (files, `dirs/`, globs).
    public var excludes: [String]?

    public init(
        agent: String, entries: [String], task: String? = nil, ttl: String? = nil, shared: Bool? = nil, wait: String? = nil,
        add: Bool? = nil, pid: Int32? = nil, excludes: [String]? = nil
    ) {
        self.excludes = excludes
        self.agent = agent
        self.entries = entries
        self.task = task
        self.ttl = ttl
        self.shared = shared
        self.wait = wait
        self.add = add
        self.pid = pid
    }
}

/// The granted lock, as written.
public struct AcquireResult: Encodable, Sendable {
    public let lock: LockRecord
}

/// The default time to live of a lock: one hour.
public let defaultTTLSeconds = TimeToLive.defaultSeconds

/// What a waiting `acquire` reports while it waits (for progress lines on stderr).
public struct WaitProgress: Sendable {
    public let agent: String
    /// The agents it waits for: holders of overlapping locks, and earlier overlapping waiters.
    public let blockers: [String]
    public let waited: Duration
}

/// One try at a grant, with what a waiter needs to know to wait for the next.
struct AcquireAttempt {
    var outcome: Outcome<AcquireResult>
    /// The processes whose exit may free the scope (holders and earlier waiters on this host).
    var blockers: [Holder] = []
    /// The earliest expiry among the locks in the way.
    var expiry: Date?
    /// Whether this try put the caller in the queue.
    var queued = false
}

extension Workspace {
    /// Acquires; with `wait`, waits in line: woken by the store's change feed (and by the exit of the
    /// processes in the way), bounded by a monotonic deadline. `progress` is told every few seconds.
    public func acquire(
        _ request: AcquireRequest, progress: (@Sendable (WaitProgress) -> Void)? = nil
    ) async -> Outcome<AcquireResult> {
        await acquireWaiting(request, progress: progress).preferringExistingWitnesses(root: normalizer.root)
    }

    /// `acquire`, waiting in line while `wait` lasts.
    private func acquireWaiting(
        _ request: AcquireRequest, progress: (@Sendable (WaitProgress) -> Void)?
    ) async -> Outcome<AcquireResult> {
        let wait: Int?
        do throws(ErrorInfo) { wait = try Self.seconds(request.wait, name: "wait") } catch { return Outcome(error: error) }
        guard let wait else { return acquireOnce(request, waiter: nil).outcome }
        // The deadline is on the monotonic clock: a step of the wall clock neither shortens nor stretches it.
        let start = ContinuousClock.now
        let deadline = start + .seconds(wait)
        // Waiting for the store's mutex ends at the same deadline (as `timeout`).
        let mutexWait: MutexWait = .until(max(deadline, .now + .milliseconds(100)))
        let waiter = Holder.current()
        // The feed listens before the first look, so no change between a look and the wait is missed.
        let feed = store.changeFeed()
        var queued = false
        var blockedBy: ConflictInfo?
        var nextProgress = start + .seconds(2)
        while true {
            let attempt = acquireOnce(request, waiter: waiter, mutexWait: mutexWait)
            queued = queued || attempt.queued
            guard attempt.outcome.error?.code == .conflict, var error = attempt.outcome.error else {
                // Refused otherwise (the mutex stayed busy past the deadline, an unreadable record): out of the queue too.
                if queued, attempt.outcome.error != nil { leaveQueue(request.agent, waiter: waiter, blockedBy: blockedBy) }
                return attempt.outcome
            }
            blockedBy = error.conflicts?.first
            let clock = ContinuousClock.now
            if clock >= deadline || Task.isCancelled {
                if queued { leaveQueue(request.agent, waiter: waiter, blockedBy: blockedBy) }
                error = ErrorInfo(
                    .timeout, "gave up after waiting \(request.wait!): " + error.message, conflicts: error.conflicts, agent: request.agent
                )
                return Outcome(error: error, warnings: attempt.outcome.warnings)
            }
            if let progress, clock >= nextProgress {
                let blockers = Array(Set((error.conflicts ?? []).map(\.agent))).sorted()
                progress(WaitProgress(agent: request.agent, blockers: blockers, waited: start.duration(to: clock)))
                nextProgress = clock + .seconds(5)
            }
            var wakeAt = min(deadline, progress == nil ? deadline : nextProgress)
            if let expiry = attempt.expiry {
                wakeAt = min(wakeAt, clock + .milliseconds(max(0, Int64(expiry.timeIntervalSince(now()) * 1000) + 1)))
            }
            if let feed {
                await feed.waitOnThread(until: wakeAt, orExitOf: attempt.blockers)
            } else {
                // A relative sleep, counted by the kernel on the monotonic clock.
                MonotonicSleep.pause(min(.milliseconds(20), ContinuousClock.now.duration(to: wakeAt)))
            }
        }
    }

    /// Takes the caller out of the queue (it gave up), logging its refusal in the same transaction: a waiter's
    /// story in the log ends with its grant or with this `refuse`, naming what was last in the way. Leaving is
    /// a change like any other: it waits for the mutex up to the standard bound (a shorter one loses the line
    /// when many processes contend for the mutex); a waiter that cannot leave is ignored once its process ends.
    func leaveQueue(_ agent: String, waiter: Holder, blockedBy first: ConflictInfo?) {
        _ = try? store.transact { snapshot throws(ErrorInfo) in
            guard let mine = snapshot.waiters.first(where: { $0.agent == agent && $0.holder == waiter }) else { return [] }
            let conflict = first.map { LockEvent.Conflict(holder: $0.agent, entries: [$0.held, $0.requested], witness: $0.witness) }
            let refusal = LockEvent(time: now(), event: .refuse, agent: agent, token: nil, scope: mine.directories + mine.files, conflict: conflict)
            return [.dequeue(agent: agent), .log(refusal)]
        }
    }

    /// One attempt: validate, then decide and write under the store's exclusive access. With `waiter`, a
    /// refused attempt puts that process in the queue (once, logged as a `wait` event); without, a refusal is
    /// logged as a `refuse` event.
    func acquireOnce(_ request: AcquireRequest, waiter: Holder?, mutexWait: MutexWait = .standard()) -> AcquireAttempt {
        var blockers: [Holder] = []
        var expiry: Date?
        var queued = false
        let outcome: Outcome<AcquireResult> = Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            let ttl = try Self.seconds(request.ttl, name: "ttl") ?? defaultTTLSeconds
            let holder = try request.pid.map { pid throws(ErrorInfo) in try Self.holder(pid: pid) }
            var (entries, entryWarnings) = try normalize(request.entries)
            let (excludes, excludeSet, excludeWarnings) = try normalizeExcludes(request.excludes, of: entries)
            entryWarnings += excludeWarnings
            var warnings = entryWarnings
            let plainFinder = ConflictFinder(agent: request.agent, entries: entries, excludes: excludeSet, shared: request.shared ?? false)
            var refusal: ErrorInfo?
            var kept: LockRecord?
            let outcome = try store.transact(.all, wait: mutexWait) { snapshot throws(ErrorInfo) in
                let time = now()
                // A store may run this more than once: start afresh.
                warnings = entryWarnings
                refusal = nil
                kept = nil
                blockers = []
                expiry = nil
                queued = false
                var changes = Self.removingDead(snapshot, except: request.agent, at: time, warnings: &warnings)

                let own = snapshot.record(for: request.agent)?.record.flatMap { $0.isActive(at: time) ? $0 : nil }
                var finder = plainFinder
                var wanted = entries
                var shared = request.shared ?? false
                if request.add == true, let own {
                    if let asked = request.shared, asked != own.isShared {
                        throw ErrorInfo(
                            .invalidInput,
                            "\(request.agent)'s lock is \(own.isShared ? "shared" : "exclusive"); --add keeps its mode (leave out --shared, or release first)"
                        )
                    }
                    shared = own.isShared
                    let held = Set(own.files + (own.directories ?? []))
                    wanted = entries.filter { !held.contains($0.text) }
                    guard !wanted.isEmpty else {
                        kept = own
                        return changes
                    }
                    finder = ConflictFinder(agent: request.agent, entries: wanted, excludes: excludeSet, shared: shared)
                }
                let findings = try finder.examine(snapshot, now: time)
                let mine = waiter.flatMap { waiter in snapshot.waiters.first { $0.agent == request.agent && $0.holder == waiter } }
                let ahead = finder.waitersAhead(snapshot.waiters, before: mine?.ticket)
                guard findings.conflicts.isEmpty, ahead.isEmpty else {
                    refusal = .conflict(findings.conflicts + ahead, requester: request.agent)
                    let blocking = Set(findings.conflicts.map(\.agent))
                    let records = snapshot.records.compactMap(\.record).filter { blocking.contains($0.agent) }
                    blockers = records.compactMap(\.holder)
                        + snapshot.waiters.filter { waiter in ahead.contains { $0.agent == waiter.agent } }.map(\.holder)
                    expiry = records.map(\.expiresAt).min()
                    let first = (findings.conflicts + ahead)[0]
                    let blockedBy = LockEvent.Conflict(holder: first.agent, entries: [first.held, first.requested], witness: first.witness)
                    let sameName = snapshot.waiters.contains { $0.agent == request.agent && !$0.holder.isGone }
                    if let waiter, mine == nil, !sameName {
                        let ticket = (snapshot.waiters.map(\.ticket).max() ?? 0) + 1
                        var joining = Waiter(agent: request.agent, entries: wanted, excludes: excludes, shared: shared, since: time, ticket: ticket, holder: waiter)
                        joining.blockedBy = blockedBy
                        changes.append(.enqueue(joining))
                        queued = true
                    } else if waiter == nil {
                        changes.append(.log(LockEvent(
                            time: time, event: .refuse, agent: request.agent, token: nil, scope: wanted.map(\.text), conflict: blockedBy
                        )))
                    }
                    return changes
                }
                for expired in findings.expired {
                    warnings.append(.overwroteExpired(expired.agent))
                    changes.append(.remove(agent: expired.agent, token: expired.token, event: .expire))
                }
                if mine != nil { changes.append(.dequeue(agent: request.agent)) }
                if request.add == true, var own {
                    own.files += wanted.filter { $0.kind != .directory }.map(\.text)
                    let directories = wanted.filter { $0.kind == .directory }.map(\.text)
                    if !directories.isEmpty { own.directories = (own.directories ?? []) + directories }
                    if let holder { own.holder = holder }
                    if !excludes.isEmpty { own.excludes = Array(Set((own.excludes ?? []) + excludes.map(\.text))).sorted() }
                    // The scope grows as a whole: an added entry its excludes would remove entirely is invalid input,
                    // never a record that cannot be read back.
                    do throws(ScopeError) {
                        _ = try ScopeMatcher(entries: own.entries(), excludes: own.excludeEntries())
                    } catch {
                        throw ErrorInfo(scope: error)
                    }
                    changes.append(.amend(own, event: .acquire))
                    return changes
                }
                if let previous = snapshot.record(for: request.agent)?.record {
                    if previous.isExpired(at: time) {
                        warnings.append(.overwroteExpired(request.agent))
                    } else if previous.isDead {
                        warnings.append(.holderGone(previous))
                    } else if Set(previous.files + (previous.directories ?? [])) != Set(entries.map(\.text)) {
                        warnings.append(.replaced(previous))
                    }
                }
                var record = LockRecord.grant(agent: request.agent, entries: entries, task: request.task, ttl: ttl, shared: shared, at: time)
                    .excluding(excludes)
                if let holder {
                    record.holder = holder
                    record.pid = holder.pid
                }
                changes.append(.grant(record))
                return changes
            }
            if let refusal { return Outcome(error: refusal, warnings: warnings) }
            guard let lock = kept ?? outcome.written.last else { throw ErrorInfo(.ioError, "the store wrote no record") }
            return Outcome(AcquireResult(lock: lock), warnings: warnings)
        }
        return AcquireAttempt(outcome: outcome, blockers: blockers, expiry: expiry, queued: queued)
    }

    /// The changes that remove other agents' dead locks (holder gone) and gone waiters: any change does.
    static func removingDead(_ snapshot: LockSnapshot, except agent: String, at time: Date, warnings: inout [ResultWarning]) -> [LockChange] {
        var changes: [LockChange] = []
        for stored in snapshot.records where stored.agent != agent {
            guard let record = stored.record, !record.isExpired(at: time), record.isDead else { continue }
            warnings.append(.holderGone(record))
            changes.append(.remove(agent: record.agent, token: record.token, event: .expire))
        }
        for waiter in snapshot.waiters where waiter.agent != agent && waiter.holder.isGone {
            changes.append(.dequeue(agent: waiter.agent))
        }
        return changes
    }

    /// The holder for `acquire --pid P`: a live process on this host, else invalid input.
    static func holder(pid: Int32) throws(ErrorInfo) -> Holder {
        guard let holder = Holder.process(pid) else {
            throw ErrorInfo(.invalidInput, "--pid \(pid): no such running process on this machine; give the pid of the process the lock lives with")
        }
        return holder
    }

    /// Parses an optional duration parameter, naming it in the error.
    static func seconds(_ text: String?, name: String) throws(ErrorInfo) -> Int? {
        guard let text else { return nil }
        switch DurationText.parse(text) {
        case .success(let seconds): return seconds
        case .failure(let problem): throw ErrorInfo(.invalidInput, DurationText.message(text, name: "--" + name, problem: problem))
        }
    }
}

extension ResultWarning {
    /// `holder_gone`: a lock whose process is gone was removed.
    static func holderGone(_ record: LockRecord) -> ResultWarning {
        let pid = record.holder.map { " (pid \($0.pid) on \($0.host))" } ?? ""
        return ResultWarning(code: "holder_gone", message: "Removed \(record.agent)'s lock: the process it lived with\(pid) is gone")
    }

    /// `replaced`: a plain acquire replaced the agent's own lock on another scope (its old token is now lost).
    static func replaced(_ record: LockRecord) -> ResultWarning {
        let scope = (record.files + (record.directories ?? [])).joined(separator: ", ")
        return ResultWarning(
            code: "replaced",
            message: "Replaced \(record.agent)'s lock on \(scope) (token \(record.token.map(String.init) ?? "none")); use --add to extend a lock instead"
        )
    }
}
