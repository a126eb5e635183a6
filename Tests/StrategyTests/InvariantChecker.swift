import ScopeLockCore
import ScopeLockProtocol

/// Checks an answer against the host's invariants (interface.md section 7), independently of the strategies'
/// own code: it uses only the scope engine. Each broken invariant is one message.
struct InvariantChecker {
    let request: ResolveRequest
    let answer: ResolveAnswer

    /// Every broken invariant; empty when the answer is sound.
    func violations() -> [String] {
        guard answer.protocol == request.protocol else { return ["answer speaks \(answer.protocol) to a \(request.protocol) request"] }
        guard answer.status == .resolved, let agents = answer.agents, let waves = answer.waves, answer.actions != nil else {
            return ["answer is not resolved: \(answer.error?.message ?? "no agents, waves or actions")"]
        }
        var problems: [String] = []
        problems += checkNames(agents)
        let finalOf = standIns(agents, problems: &problems)
        problems += checkWaves(agents, waves)
        problems += checkHeld(agents)
        problems += checkCoverage(agents)
        problems += checkExcludedGivenAway(agents)
        problems += checkWaveConflicts(agents, waves)
        problems += checkDependencies(waves, finalOf: finalOf)
        return problems
    }

    /// Final agent names are valid and unique.
    private func checkNames(_ agents: [ResolvedAgent]) -> [String] {
        var problems: [String] = []
        let valid = #/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/#
        for agent in agents where (try? valid.wholeMatch(in: agent.name)) == nil {
            problems.append("invalid agent name \(agent.name)")
        }
        if Set(agents.map(\.name)).count != agents.count { problems.append("final agent names repeat") }
        return problems
    }

    /// Each requested agent appears exactly once, by name or in one `merged_from`: the final agent standing for it.
    private func standIns(_ agents: [ResolvedAgent], problems: inout [String]) -> [String: String] {
        var finalOf: [String: String] = [:]
        var appearances: [String: Int] = [:]
        let requested = Set(request.agents.map(\.name))
        for agent in agents {
            let covers = agent.mergedFrom ?? [agent.name]
            if let merged = agent.mergedFrom, !merged.contains(agent.name) {
                problems.append("\(agent.name) is named after none of the agents it merges")
            }
            for name in covers {
                appearances[name, default: 0] += 1
                finalOf[name] = agent.name
                if !requested.contains(name) { problems.append("\(name) was never requested") }
            }
        }
        for name in request.agents.map(\.name) where appearances[name, default: 0] != 1 {
            problems.append("\(name) appears \(appearances[name, default: 0]) times")
        }
        return finalOf
    }

    /// Every final agent is in exactly one wave; no wave is empty or names an unknown agent.
    private func checkWaves(_ agents: [ResolvedAgent], _ waves: [[String]]) -> [String] {
        var problems: [String] = []
        let placed = waves.flatMap { $0 }
        for agent in agents where placed.count(where: { $0 == agent.name }) != 1 {
            problems.append("\(agent.name) is in \(placed.count(where: { $0 == agent.name })) waves")
        }
        let names = Set(agents.map(\.name))
        for name in placed where !names.contains(name) { problems.append("wave names unknown agent \(name)") }
        if waves.contains(where: \.isEmpty) { problems.append("a wave is empty") }
        return problems
    }

    /// Held agents keep their scopes exactly, alone.
    private func checkHeld(_ agents: [ResolvedAgent]) -> [String] {
        request.agents.filter(\.held).compactMap { held in
            guard let final = agents.first(where: { $0.name == held.name }) else { return "held \(held.name) is gone" }
            let alone = final.mergedFrom == nil || final.mergedFrom == [held.name]
            return alone && final.files == held.files && final.directories == held.directories
                ? nil : "held \(held.name) changed its scope"
        }
    }

    /// No original entry and no tree file an original scope covered is lost.
    private func checkCoverage(_ agents: [ResolvedAgent]) -> [String] {
        var problems: [String] = []
        let finals = agents.flatMap { finalEntries(of: $0) }.map(CompiledEntry.init)
        let originals = request.agents.flatMap { RequestBuilder.entries(of: $0) }.map(CompiledEntry.init)
        let splitEntries = Set((answer.actions ?? []).filter { $0.kind == .split }.compactMap(\.entries.first))
        for original in originals {
            let entry = original.entry
            switch entry.kind {
            case .file:
                if !finals.contains(where: { CompiledEntry.witness($0, original) != nil }) {
                    problems.append("file entry \(entry.text) is lost")
                }
            case .directory, .glob:
                let kept = finals.contains { $0.entry.text == entry.text }
                let inside = entry.kind == .directory && finals.contains { final in
                    final.entry.kind == .directory && final.matches(entry.text + "x")
                }
                // A divided entry is judged by the tree files it covered (checked below); it must have some.
                let divided = splitEntries.contains(entry.text) && request.tree.contains(where: original.matches)
                if !kept && !inside && !divided {
                    problems.append("entry \(entry.text) is lost")
                }
            }
        }
        let originalScopes = request.agents.map { scope(RequestBuilder.entries(of: $0), excludes: $0.excludes) }
        let finalScopes = agents.map { scope(finalEntries(of: $0), excludes: $0.excludes) }
        for path in request.tree where originalScopes.contains(where: { $0.covers(path) }) {
            if !finalScopes.contains(where: { $0.covers(path) }) {
                problems.append("tree file \(path) is lost")
            }
        }
        return problems
    }

    /// No two agents of one wave overlap, by the scope engine.
    private func checkWaveConflicts(_ agents: [ResolvedAgent], _ waves: [[String]]) -> [String] {
        var problems: [String] = []
        let byName = Dictionary(
            agents.map { ($0.name, scope(finalEntries(of: $0), excludes: $0.excludes)) }, uniquingKeysWith: { first, _ in first }
        )
        for wave in waves {
            for (index, one) in wave.enumerated() {
                for other in wave[(index + 1)...] {
                    guard let left = byName[one], let right = byName[other] else { continue }
                    if let witness = left.overlaps(with: right).first?.witness {
                        problems.append("\(one) and \(other) share a wave but both cover \(witness)")
                    }
                }
            }
        }
        return problems
    }

    /// Each requested agent runs after the agents it depends on, or inside the same merged agent.
    private func checkDependencies(_ waves: [[String]], finalOf: [String: String]) -> [String] {
        var waveOf: [String: Int] = [:]
        for (index, wave) in waves.enumerated() {
            for name in wave { waveOf[name] = index }
        }
        var problems: [String] = []
        for agent in request.agents {
            for dependency in agent.dependsOn {
                guard let mine = finalOf[agent.name], let theirs = finalOf[dependency], mine != theirs else { continue }
                if let myWave = waveOf[mine], let theirWave = waveOf[theirs], myWave > theirWave { continue }
                problems.append("\(agent.name) does not run after \(dependency)")
            }
        }
        return problems
    }

    /// What an exclude takes from a final agent is covered by another final agent: checked on every short path
    /// the tree and the witnesses suggest (each path the agent's entries cover that the exclude removes).
    private func checkExcludedGivenAway(_ agents: [ResolvedAgent]) -> [String] {
        var problems: [String] = []
        let scopes = agents.map { scope(finalEntries(of: $0), excludes: $0.excludes) }
        for (position, agent) in agents.enumerated() {
            for text in agent.excludes ?? [] where !(request.agents.first { $0.name == agent.name }?.excludes ?? []).contains(text) {
                guard let exclude = try? ScopeEntry(parsing: text) else { problems.append("exclude \(text) is invalid"); continue }
                for entry in scopes[position].entries {
                    guard let removed = CompiledEntry.witness(entry, CompiledEntry(exclude)) else { continue }
                    if !scopes.indices.contains(where: { $0 != position && scopes[$0].covers(removed) }) {
                        problems.append("\(removed), excluded from \(agent.name), is covered by no other agent")
                    }
                }
            }
        }
        return problems
    }

    /// Entries less excludes, compiled.
    private func scope(_ entries: [ScopeEntry], excludes: [String]?) -> ScopeMatcher {
        let parsed = (excludes ?? []).compactMap { try? ScopeEntry(parsing: $0) }
        return ScopeMatcher(entries: entries.map(CompiledEntry.init), excludes: (try? ExcludeSet(parsed)) ?? .none)
    }

    private func finalEntries(of agent: ResolvedAgent) -> [ScopeEntry] {
        agent.files.compactMap { try? ScopeEntry(parsing: $0) } + agent.directories.compactMap { try? ScopeEntry(parsing: $0, asDirectory: true) }
    }
}
