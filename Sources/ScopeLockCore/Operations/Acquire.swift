import Foundation
import ScopeLockProtocol

/// `acquire`: take (or replace) an agent's lock on a scope, all or nothing.
public struct AcquireRequest: Codable, Sendable {
    public var agent: String
    public var entries: [String]
    public var task: String?
    /// Time to live, e.g. `1h` (default 1 hour).
    public var ttl: String?
    public var shared: Bool?
    /// Keep retrying, with backoff, for this long before giving up with `timeout`.
    public var wait: String?
    /// Entries the scope does not cover (files, `dirs/`, globs).
    public var excludes: [String]?

    public init(agent: String, entries: [String], task: String? = nil, ttl: String? = nil, shared: Bool? = nil, wait: String? = nil,
                excludes: [String]? = nil) {
        self.excludes = excludes
        self.agent = agent
        self.entries = entries
        self.task = task
        self.ttl = ttl
        self.shared = shared
        self.wait = wait
    }
}

/// The granted lock, as written.
public struct AcquireResult: Encodable, Sendable {
    public let lock: LockRecord
}

/// The default time to live of a lock: one hour.
public let defaultTTLSeconds = TimeToLive.defaultSeconds

extension Workspace {
    public func acquire(_ request: AcquireRequest) async -> Outcome<AcquireResult> {
        await acquireWaiting(request).preferringExistingWitnesses(root: normalizer.root)
    }

    /// `acquire`, retrying while `wait` lasts.
    private func acquireWaiting(_ request: AcquireRequest) async -> Outcome<AcquireResult> {
        // The deadline is on the monotonic clock: a step of the wall clock neither shortens nor stretches it.
        let deadline: ContinuousClock.Instant
        do throws(ErrorInfo) {
            deadline = .now + .seconds(try Self.seconds(request.wait, name: "wait") ?? 0)
        } catch {
            return Outcome(error: error)
        }
        // With --wait, waiting for the store's mutex ends at the same deadline (as `timeout`).
        let mutexWait: MutexWait = request.wait == nil ? .standard() : .until(max(deadline, .now + .milliseconds(100)))
        var delay = 0.005
        while true {
            let outcome = acquireOnce(request, logRefusal: request.wait == nil, mutexWait: mutexWait)
            guard outcome.error?.code == .conflict, ContinuousClock.now < deadline else {
                if outcome.error?.code == .conflict, request.wait != nil, var error = outcome.error {
                    error = ErrorInfo(
                        .timeout, "gave up after waiting \(request.wait!): " + error.message,
                        conflicts: error.conflicts, agent: request.agent
                    )
                    return Outcome(error: error, warnings: outcome.warnings)
                }
                return outcome
            }
            let left = ContinuousClock.now.duration(to: deadline)
            let pause = min(.milliseconds(Int(delay * 1000)), left) * Double.random(in: 0.5...1.0)
            // A relative sleep, which the kernel counts on the monotonic clock: `Task.sleep` was seen to
            // stretch by a wall clock step (its timer is armed on an absolute time).
            if pause > .zero { MonotonicSleep.pause(pause) }
            delay = min(delay * 2, 0.1)
        }
    }

    /// One attempt: validate, then decide and write under the store's exclusive access. A refusal is logged
    /// as a `refuse` event when `logRefusal` (not on every retry of a waiting acquire).
    func acquireOnce(_ request: AcquireRequest, logRefusal: Bool = true, mutexWait: MutexWait = .standard()) -> Outcome<AcquireResult> {
        Outcome.catching { () throws(ErrorInfo) in
            try AgentName.validate(request.agent)
            let ttl = try Self.seconds(request.ttl, name: "ttl") ?? defaultTTLSeconds
            var (entries, entryWarnings) = try normalize(request.entries)
            let (excludes, excludeSet, excludeWarnings) = try normalizeExcludes(request.excludes, of: entries)
            entryWarnings += excludeWarnings
            var warnings = entryWarnings
            let shared = request.shared ?? false
            let finder = ConflictFinder(agent: request.agent, entries: entries, excludes: excludeSet, shared: shared)
            var refusal: ErrorInfo?
            let outcome = try store.transact(.all, wait: mutexWait) { snapshot throws(ErrorInfo) in
                let time = now()
                warnings = entryWarnings  // a store may run this more than once
                refusal = nil
                let findings = try finder.examine(snapshot, now: time)
                guard findings.conflicts.isEmpty else {
                    refusal = .conflict(findings.conflicts, requester: request.agent)
                    guard logRefusal else { return [] }
                    let first = findings.conflicts[0]
                    return [.log(LockEvent(
                        time: time, event: .refuse, agent: request.agent, token: nil, scope: entries.map(\.text),
                        conflict: .init(holder: first.agent, entries: [first.held, first.requested], witness: first.witness)
                    ))]
                }
                var changes: [LockChange] = []
                for expired in findings.expired {
                    warnings.append(.overwroteExpired(expired.agent))
                    changes.append(.remove(agent: expired.agent, token: expired.token, event: .expire))
                }
                if let own = snapshot.record(for: request.agent)?.record, own.isExpired(at: time) {
                    warnings.append(.overwroteExpired(request.agent))
                }
                changes.append(.grant(LockRecord.grant(
                    agent: request.agent, entries: entries, task: request.task, ttl: ttl, shared: shared, at: time
                ).excluding(excludes)))
                return changes
            }
            if let refusal { return Outcome(error: refusal, warnings: warnings) }
            return Outcome(AcquireResult(lock: outcome.written[0]), warnings: warnings)
        }
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
