import Foundation
import ScopeLockCore

/// Replays a file store's `events.jsonl` and checks the promises that racing processes must keep:
///
/// - **exclusion**: a grant (a new lock, or the entries `acquire --add` adds to one) never overlaps another
///   agent's lock, unless both are shared;
/// - **fair waiting**: a grant never overlaps the scope of a waiter that joined the queue before the grantee
///   did and is still in it (a grantee that never waited came after every waiter), unless both are shared.
///
/// The log is read in the order its lines were written: every change is made, and its lines appended, under
/// the store's mutex, so line order is the order of the changes (times are whole seconds and decide nothing).
/// Tickets are not logged, but a newcomer's ticket is larger than that of every waiter already in the queue,
/// so among waiters in the queue together the order of their `wait` lines is their ticket order. A waiter is in
/// the queue from its `wait` line to its grant (`acquire`) or its giving up (`refuse`). A waiter whose process
/// dies leaves the queue unlogged: the audit is exact for runs in which no waiter is killed.
///
/// A lock's expiry needs no clock here: a grant first removes the expired or dead locks it overlaps, with an
/// `expire` line. Events carry no mode and no excludes: `isShared` names the agents that only take shared
/// locks, and scopes are taken as their entries.
struct EventLogAudit: CustomStringConvertible {
    /// Grants of new locks (fresh token).
    var grants = 0
    /// Grants that extended a lock (`--add`: token kept).
    var additions = 0
    /// `wait` lines: waiters that joined the queue.
    var waits = 0
    /// Grants to waiters (they leave the queue granted).
    var handoffs = 0
    /// Waiters that gave up (`refuse` while in the queue).
    var giveUps = 0
    /// Releases that gave back some entries of a lock and kept the rest.
    var partialReleases = 0
    /// Pairs of waiters with overlapping scopes, the later one queued while the earlier waited, both granted:
    /// the earlier first (else it is an overtaking). Fairness observed, not assumed.
    var grantedInOrder = 0
    /// Grants to a waiter while an earlier waiter with a disjoint scope still waited: disjoint waiters do not
    /// hold each other up.
    var disjointPasses = 0
    /// Acquires refused for a waiter in the way (not for a lock): a newcomer does not overtake.
    var refusedForWaiters = 0
    /// Grants that overlapped an earlier waiter still in the queue.
    var overtakings: [String] = []
    /// Grants that overlapped another agent's lock.
    var doubleGrants: [String] = []
    /// Grants whose fencing token was not above every earlier grant's.
    var tokensOutOfOrder: [String] = []

    var description: String {
        "\(grants) grants, \(additions) additions, \(partialReleases) partial releases, \(waits) waits, \(handoffs) handoffs, "
            + "\(giveUps) give-ups, \(refusedForWaiters) refused for a waiter, \(grantedInOrder) overlapping waiter pairs granted in order, "
            + "\(disjointPasses) disjoint passes, "
            + "\(doubleGrants.count) double grants, \(overtakings.count) overtakings, \(tokensOutOfOrder.count) tokens out of order"
    }

    /// Audits the lines of an `events.jsonl`; a line that is not an event is an error (the log is written whole).
    init(log: String, isShared: (String) -> Bool = { _ in false }) throws {
        let decoder = JSONDecoder()
        let events = try log.split(separator: "\n").map { try decoder.decode(LockEvent.self, from: Data($0.utf8)) }
        self.init(events: events, isShared: isShared)
    }

    /// Audits `events`, in the order they were written.
    init(events: [LockEvent], isShared: (String) -> Bool = { _ in false }) {
        var overlap = EntryOverlap()
        /// Each agent's lock: its token and entries.
        var held: [String: (token: Int64?, scope: [String])] = [:]
        /// Each waiter in the queue: the line it joined at and the entries it waits for.
        var queue: [String: (line: Int, scope: [String], ahead: [Int])] = [:]
        /// The `wait` lines of waiters that left the queue granted.
        var granted: Set<Int> = []
        var lastToken: Int64 = 0

        for (index, event) in events.enumerated() {
            let line = index + 1
            guard let agent = event.agent else {
                if event.event == .clear { held = [:]; queue = [:] }  // `clear` removes the waiters' files too
                continue
            }
            let scope = event.scope ?? []
            switch event.event {
            case .wait:
                waits += 1
                let ahead = queue.filter { other, waiter in
                    !(isShared(agent) && isShared(other)) && overlap.any(waiter.scope, scope)
                }.map(\.value.line)
                queue[agent] = (line, scope, ahead)
            case .refuse:
                if queue.removeValue(forKey: agent) != nil {
                    giveUps += 1
                } else if let conflict = event.conflict, let waiter = queue[conflict.holder], let entry = conflict.entries.first,
                          waiter.scope.contains(entry), held[conflict.holder]?.scope.contains(entry) != true {
                    refusedForWaiters += 1
                }
            case .acquire:
                let own = held[agent]
                let adds = own != nil && event.token != nil && own?.token == event.token
                let requested = adds ? scope.filter { !own!.scope.contains($0) } : scope
                if adds {
                    additions += 1
                } else {
                    grants += 1
                    if let token = event.token {
                        if token <= lastToken { tokensOutOfOrder.append("line \(line): \(agent) was granted token \(token) after token \(lastToken)") }
                        lastToken = max(lastToken, token)
                    }
                }
                for (other, lock) in held where other != agent && !(isShared(agent) && isShared(other)) {
                    if overlap.any(requested, lock.scope) {
                        doubleGrants.append("line \(line): \(agent) was granted \(requested) while \(other) held \(lock.scope)")
                    }
                }
                let mine = queue.removeValue(forKey: agent)
                if let mine {
                    handoffs += 1
                    granted.insert(mine.line)
                    grantedInOrder += mine.ahead.filter(granted.contains).count
                }
                for (other, waiter) in queue where !(isShared(agent) && isShared(other)) {
                    let earlier = mine.map { waiter.line < $0.line } ?? true
                    let clash = overlap.any(requested, waiter.scope)
                    switch (earlier, clash) {
                    case (true, true):
                        overtakings.append(
                            "line \(line): \(agent) was granted \(requested) (\(mine.map { "waiting since line \($0.line)" } ?? "without waiting")) "
                                + "while \(other), waiting since line \(waiter.line), waited for \(waiter.scope)"
                        )
                    case (true, false): if mine != nil { disjointPasses += 1 }
                    case (false, _): break
                    }
                }
                held[agent] = (event.token, scope)
            case .release:
                // A partial release logs what is left; a whole one, the scope given up.
                if let own = held[agent], own.token == event.token, Set(scope) != Set(own.scope), Set(scope).isSubset(of: own.scope) {
                    partialReleases += 1
                    held[agent] = (own.token, scope)
                } else {
                    held[agent] = nil
                }
            case .expire, .force, .prune:
                held[agent] = nil
            case .renew, .clear:
                break
            }
        }
    }
}
