import ScopeLockPluginKit
import ScopeLockProtocol

/// `reassign`: each contested exact file goes to one claimant and leaves the others' scopes.
///
/// A file is contested when an exact file entry names it and another agent's scope also covers it. It goes to the
/// most specific claimant: an agent that holds its lock, then an exact file entry over a glob over a directory,
/// then the earliest in manifest order. A losing claimant whose only claim is the exact file entry loses that
/// entry (`reassign` action); one whose directory or glob still covers the file, or that holds its lock, keeps its
/// scope, because a file cannot be carved out of a directory or glob: that pair is sequenced. An agent left with
/// no entries stays in the plan with an empty scope. Remaining conflicts are sequenced as by `sequential`.
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
                    reasons[AgentPair(winner.agent, claim.agent), default: []].append(
                        "\(winnerName) is given \(path), but the \(ClaimSpecificity(wide.kind).phrase) \(wide.text) of \(loserName) "
                            + "still covers it, and a file cannot be carved out of a directory or glob"
                    )
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

        let conflicts = input.reportedConflicts.narrowed(changed, scopes: agents.map(\.scope))
        return try PlanAssembler(options: input.options).answer(
            for: agents, conflicts: conflicts, actions: actions,
            sequenceReasons: reasons.mapValues { $0.joined(separator: "; ") }
        )
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
