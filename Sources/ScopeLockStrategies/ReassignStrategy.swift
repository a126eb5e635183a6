import ScopeLockCore
import ScopeLockPluginKit
import ScopeLockProtocol

/// `reassign`: each contested file or glob goes to one claimant and is excluded from the others' scopes.
///
/// A file is contested when an exact file entry names it and another agent's scope also covers it. It goes to the
/// most specific claimant: an agent that holds its lock, then an exact file entry over a glob over a directory,
/// then the earliest in manifest order. A losing claimant whose only claim is the exact file entry loses that
/// entry; one whose directory or glob still covers the file has the file excluded from its scope (`reassign`
/// action). Then each overlap of a glob or directory with another goes to the narrower entry (the one inside the
/// other, else a glob over a directory), which the other agent's scope excludes: the seed's developer holding
/// `qualys/` and tester holding `*/*_test.go` run side by side. An agent that holds its lock keeps its scope, and an
/// exclude that would leave an entry covering nothing is not made: those pairs are sequenced, with the reason.
/// Remaining conflicts are sequenced as by `sequential`.
public struct ReassignStrategy: BuiltInStrategy {
    /// The strategy; it has no settings of its own (options come with each request).
    public init() {}

    /// What `describe` answers: name, version and the rule in one line.
    public var description: StrategyDescription {
        StrategyDescription(
            name: "reassign", version: BuiltInStrategies.version,
            description: "Gives each contested file to its most specific claimant; sequences what cannot be carved out."
        )
    }

    func plan(_ input: StrategyInput) throws(StrategyDecline) -> ResolveAnswer {
        var agents = input.unchangedAgents
        var actions: [PlanAction] = []
        var reasons: [AgentPair: [String]] = [:]
        var changed = Set<Int>()

        for (path, text, namer) in contestedFiles(input) {
            let claims = claimants(of: path, namedBy: namer, in: input)
            guard claims.count >= 2 else { continue }
            let winner = claims.min { ($0.held ? 0 : 1, $0.specificity, $0.agent) < ($1.held ? 0 : 1, $1.specificity, $1.agent) }!
            let winnerName = input.names[winner.agent]
            var losers: [String] = []
            for claim in claims where claim.agent != winner.agent {
                let loserName = input.names[claim.agent]
                if claim.held {
                    reasons[AgentPair(winner.agent, claim.agent), default: []]
                        .append("\(winnerName) is given \(path), but \(loserName) holds its lock on it")
                } else if let wide = claim.wideEntry {
                    if agents[claim.agent].scope.exclude(text) {
                        agents[claim.agent].scope.files.removeAll { $0.filePath == path }
                        changed.insert(claim.agent)
                        losers.append(loserName)
                    } else {
                        reasons[AgentPair(winner.agent, claim.agent), default: []].append(
                            "\(winnerName) is given \(path), but excluding it from the \(ClaimSpecificity(wide.kind).phrase) \(wide.text) "
                                + "of \(loserName) would leave an entry covering nothing"
                        )
                    }
                } else {
                    agents[claim.agent].scope.files.removeAll { $0.filePath == path }
                    changed.insert(claim.agent)
                    losers.append(loserName)
                }
            }
            if !losers.isEmpty {
                let why = winner.held ? "which holds its lock on it" : "whose \(winner.specificity.phrase) is the most specific claim"
                actions.append(PlanAction(
                    kind: .reassign, agents: [winnerName] + losers, entries: [text],
                    reason: "\(path) goes to \(winnerName), \(why); removed from \(losers.joined(separator: ", "))"
                ))
            }
        }

        var conflicts = input.reportedConflicts.narrowed(changed, scopes: agents.map(\.scope))
        changed = []
        var granted: [Grant] = []
        for pair in conflicts.pairs {
            for overlap in conflicts.overlaps[pair] ?? [] {
                reassignWide(overlap, pair: pair, agents: &agents, input: input, actions: &actions, reasons: &reasons,
                             changed: &changed, granted: &granted)
            }
        }
        conflicts = conflicts.narrowed(changed, scopes: agents.map(\.scope))
        return try PlanAssembler(options: input.options).answer(
            for: agents, conflicts: conflicts, actions: actions,
            sequenceReasons: reasons.mapValues { $0.joined(separator: "; ") }
        )
    }

    /// Gives the overlap of two entries to the narrower one and excludes it from the other agent's scope: the entry
    /// that lies inside the other, else a glob over a directory. Records why when it cannot.
    /// An overlap given to `winner`'s entry and excluded from another agent's `loser` entry.
    private struct Grant {
        let winner: Int
        let winnerEntry: ParsedEntry
        let loserEntry: ParsedEntry
    }

    private func reassignWide(
        _ overlap: EntryOverlap, pair: AgentPair, agents: inout [PlannedAgent], input: StrategyInput,
        actions: inout [PlanAction], reasons: inout [AgentPair: [String]], changed: inout Set<Int>, granted: inout [Grant]
    ) {
        let (first, second) = (pair.first, pair.second)
        guard let one = agents[first].scope.entries.first(where: { $0.text == overlap.entries[0] }),
              let other = agents[second].scope.entries.first(where: { $0.text == overlap.entries[1] }),
              one.kind != .file, other.kind != .file,
              // An earlier exclude may have settled this pair of entries already.
              CompiledEntry.witness(one.compiled, excluding: agents[first].scope.excludes, other.compiled, excluding: agents[second].scope.excludes) != nil
        else { return }
        let oneInside = Self.lies(one, within: other)
        let otherInside = Self.lies(other, within: one)
        let winner: (agent: Int, entry: ParsedEntry)
        let loser: (agent: Int, entry: ParsedEntry)
        if otherInside && !oneInside || (!oneInside && !otherInside && ClaimSpecificity(other.kind) < ClaimSpecificity(one.kind)) {
            (winner, loser) = ((second, other), (first, one))
        } else if oneInside && !otherInside || (!oneInside && !otherInside && ClaimSpecificity(one.kind) < ClaimSpecificity(other.kind)) {
            (winner, loser) = ((first, one), (second, other))
        } else {
            reasons[pair, default: []].append(
                "neither \(one.text) of \(input.names[first]) nor \(other.text) of \(input.names[second]) is the narrower claim "
                    + (oneInside ? "(they are the same paths)" : "(neither lies inside the other, and both are \(ClaimSpecificity(one.kind).phrase)s)")
            )
            return
        }
        let (winnerName, loserName) = (input.names[winner.agent], input.names[loser.agent])
        if agents[loser.agent].held {
            reasons[pair, default: []].append("\(winnerName) is given \(winner.entry.text), but \(loserName) holds its lock on \(loser.entry.text)")
            return
        }
        // What was given must stay with whoever got it: no exclude may take back a part of what the loser was given
        // before, and the winner must still hold all of the overlap (its own excludes judged on the safe side).
        func meets(_ a: ParsedEntry, _ b: ParsedEntry) -> Bool { CompiledEntry.witness(a.compiled, b.compiled) != nil }
        let takesBack = granted.contains { $0.winner == loser.agent && meets($0.winnerEntry, winner.entry) && meets($0.loserEntry, winner.entry) }
        let winnerGaveUp = agents[winner.agent].scope.excludes.entries.contains { excluded in
            let removed = CompiledEntry(excluded)
            return CompiledEntry.witness(winner.entry.compiled, removed) != nil && CompiledEntry.witness(loser.entry.compiled, removed) != nil
        }
        if takesBack || winnerGaveUp {
            reasons[pair, default: []].append(
                "\(winnerName) would be given \(winner.entry.text), but "
                    + (takesBack ? "\(loserName) was given part of it already" : "\(winnerName) has given part of it away")
            )
            return
        }
        guard agents[loser.agent].scope.exclude(winner.entry.text) else {
            reasons[pair, default: []].append(
                "\(winnerName) is given \(winner.entry.text), but excluding it from \(loserName) would leave an entry covering nothing"
            )
            return
        }
        changed.insert(loser.agent)
        granted.append(Grant(winner: winner.agent, winnerEntry: winner.entry, loserEntry: loser.entry))
        actions.append(PlanAction(
            kind: .reassign, agents: [winnerName, loserName], entries: [winner.entry.text],
            reason: "\(winner.entry.text) goes to \(winnerName), whose \(ClaimSpecificity(winner.entry.kind).phrase) is the narrower claim; "
                + "excluded from \(loserName)'s \(loser.entry.text)"
        ))
    }

    /// True when every path `inner` covers is covered by `outer` (exact; false when that cannot be decided).
    private static func lies(_ inner: ParsedEntry, within outer: ParsedEntry) -> Bool {
        guard let outside = try? ExcludeSet([outer.entry]) else { return false }
        return inner.compiled.remainder(excluding: outside) == nil
    }

    /// Every path named by an exact file entry of an agent in conflict, once, with the entry text and the agent
    /// first seen for it, in manifest order.
    private func contestedFiles(_ input: StrategyInput) -> [(path: String, text: String, namer: Int)] {
        var seen = Set<String>()
        var files: [(path: String, text: String, namer: Int)] = []
        for (agent, scope) in input.scopes.enumerated() where !input.conflictingAgents[agent].isEmpty {
            for entry in scope.files {
                guard let path = entry.filePath, seen.insert(path).inserted else { continue }
                files.append((path, entry.text, agent))
            }
        }
        return files
    }

    /// One agent's claim on a file.
    private struct Claim {
        let agent: Int
        let held: Bool
        /// The most specific kind of entry through which the agent covers the file.
        let specificity: ClaimSpecificity
        /// A directory or glob entry of the agent that covers the file, if any.
        let wideEntry: ParsedEntry?
    }

    /// The agents whose scopes cover `path`, in manifest order. Every one of them overlaps `namer`, whose exact file
    /// entry names `path`, so only `namer` and the agents it conflicts with are looked at.
    private func claimants(of path: String, namedBy namer: Int, in input: StrategyInput) -> [Claim] {
        ([namer] + input.conflictingAgents[namer]).sorted().compactMap { agent in
            let covering = input.scopes[agent].entries.filter { $0.matches(path) }
            guard let specificity = covering.map({ ClaimSpecificity($0.kind) }).min() else { return nil }
            return Claim(
                agent: agent, held: input.agents[agent].held, specificity: specificity,
                wideEntry: covering.first { $0.kind != .file }
            )
        }
    }
}
