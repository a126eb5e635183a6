import Foundation
import ScopeLockProtocol

/// Finds what a requested scope meets among stored records: active overlapping locks (conflicts) and
/// expired overlapping ones (which a grant replaces). One implementation for `acquire`, `check` and `apply`.
/// The requested entries are indexed by literal prefix, so each held entry meets only the requested
/// entries it could overlap: a held entry under another top-level folder costs one dictionary look-up.
struct ConflictFinder {
    let agent: String
    let requested: ScopeIndex<Int>
    /// The requested entries' first literal segments: a record starting elsewhere is passed over whole.
    let requestedFirstSegments: Set<Substring>?
    let shared: Bool
    /// Agents whose records are being replaced in the same transaction.
    let ignoring: Set<String>

    init(agent: String, entries: [ScopeEntry], excludes: ExcludeSet = .none, shared: Bool, ignoring: Set<String> = []) {
        self.agent = agent
        var index = ScopeIndex<Int>()
        for (position, entry) in entries.enumerated() { index.insert(CompiledEntry(entry), value: position, excludes: excludes) }
        self.requested = index
        self.requestedFirstSegments = LiteralPrefix.firstSegments(of: entries)
        self.shared = shared
        self.ignoring = ignoring
    }

    struct Findings {
        var conflicts: [ConflictInfo] = []
        /// Other agents' expired records that overlap the request.
        var expired: [LockRecord] = []
    }

    /// Refuses with `invalid_lock` if any record is unreadable, else reports what the request meets at `now`.
    func examine(_ snapshot: LockSnapshot, now: Date) throws(ErrorInfo) -> Findings {
        if let invalid = snapshot.firstInvalid?.invalidError { throw invalid }
        var findings = Findings()
        for stored in snapshot.records where stored.agent != agent && !ignoring.contains(stored.agent) {
            guard case .valid(let record, let entries) = stored.content else { continue }
            if let mine = requestedFirstSegments, let theirs = stored.firstSegments, mine.isDisjoint(with: theirs) { continue }
            let expired = record.isExpired(at: now)
            if !expired, shared, record.isShared { continue }
            if !expired, record.isDead { continue }  // removed by the grant, with holder_gone
            let overlaps = overlaps(with: entries, excluding: stored.excludes)
            guard !overlaps.isEmpty else { continue }
            if expired {
                findings.expired.append(record)
            } else {
                let expiresAt = Timestamp.format(record.expiresAt)
                findings.conflicts += overlaps.map {
                    ConflictInfo(agent: record.agent, held: $0.held, requested: $0.requested, witness: $0.witness, expiresAt: expiresAt)
                }
            }
        }
        return findings
    }

    /// The live waiters that came before `ticket` (all of them when nil) and whose scopes overlap the
    /// request (not both shared): a request never overtakes them. Each overlap is a conflict with `waiting`.
    func waitersAhead(_ waiters: [Waiter], before ticket: Int64?) -> [ConflictInfo] {
        var result: [ConflictInfo] = []
        for waiter in waiters where waiter.agent != agent && !ignoring.contains(waiter.agent) {
            if let ticket, waiter.ticket >= ticket { continue }
            if shared, waiter.shared { continue }
            let overlaps = overlaps(with: waiter.entries, excluding: waiter.excludeSet)
            guard !overlaps.isEmpty, !waiter.holder.isGone else { continue }
            result += overlaps.map {
                ConflictInfo(agent: waiter.agent, held: $0.held, requested: $0.requested, witness: $0.witness, expiresAt: nil, waiting: true)
            }
        }
        return result
    }

    func overlaps(with held: [ScopeEntry], excluding heldExcludes: ExcludeSet) -> [(held: String, requested: String, witness: String)] {
        var result: [(held: String, requested: String, witness: String)] = []
        for heldEntry in held {
            for hit in requested.overlaps(with: heldEntry, excluding: heldExcludes) {
                result.append((heldEntry.text, hit.entry.entry.text, hit.witness))
            }
        }
        return result
    }
}

extension ErrorInfo {
    /// The `conflict` refusal for `conflicts`, naming the holders.
    static func conflict(_ conflicts: [ConflictInfo], requester: String) -> ErrorInfo {
        let holders = Array(Set(conflicts.filter { $0.waiting != true }.map(\.agent))).sorted()
        let waiters = Array(Set(conflicts.filter { $0.waiting == true }.map(\.agent))).sorted()
        let first = conflicts[0]
        var whose: [String] = []
        if !holders.isEmpty { whose.append("locks held by \(holders.joined(separator: ", "))") }
        if !waiters.isEmpty { whose.append("the scopes \(waiters.joined(separator: ", ")) already wait for (use --wait to queue behind them)") }
        return ErrorInfo(
            .conflict,
            "\(requester)'s scope overlaps \(whose.joined(separator: " and ")): "
                + "\(first.requested) and \(first.held) both cover \(first.witness)",
            conflicts: conflicts, agent: requester
        )
    }
}

extension ResultWarning {
    /// `overwrote_expired`: a grant replaced another agent's expired lock.
    static func overwroteExpired(_ agent: String) -> ResultWarning {
        ResultWarning(code: "overwrote_expired", message: "Overwriting expired lock for \(agent)")
    }
}
