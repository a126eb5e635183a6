import ScopeLockProtocol

/// Checks a strategy's answer against the invariants of section 7. The host trusts nothing: any breach
/// is a `plugin_error` naming the plugin and what it did wrong.
struct PlanValidator {
    let plugin: String
    let request: ResolveRequest

    func validate(_ answer: ResolveAnswer) throws(ErrorInfo) {
        guard answer.protocol == StrategyProtocol.identifier else {
            throw fail("answered protocol \(answer.protocol.debugDescription), not \(StrategyProtocol.identifier)")
        }
        switch answer.status {
        case .declined:
            let reason = answer.error.map { "\($0.code): \($0.message)" } ?? "no reason given"
            throw fail("declined to resolve the conflicts (\(reason))")
        case .resolved:
            break
        }
        guard let agents = answer.agents, let waves = answer.waves else { throw fail("answered resolved without agents and waves") }
        let standsFor = try checkEveryAgentOnce(agents)
        try checkValidNames(agents)
        try checkHeldKept(agents)
        let compiled = try compile(agents)
        try checkNothingLost(compiled)
        let waveOf = try checkWaves(waves, agents: agents)
        try checkNoConflictInWaves(waves, compiled: compiled)
        try checkDependencies(waveOf: waveOf, standsFor: standsFor)
    }

    private func fail(_ message: String) -> ErrorInfo {
        ErrorInfo(.pluginError, "strategy plugin \(plugin) \(message); nothing was acquired")
    }

    /// Every requested agent exactly once, by name or in one `merged_from`; returns original → final name.
    private func checkEveryAgentOnce(_ agents: [ResolvedAgent]) throws(ErrorInfo) -> [String: String] {
        let requested = Set(request.agents.map(\.name))
        var standsFor: [String: String] = [:]
        var finals: Set<String> = []
        for agent in agents {
            guard finals.insert(agent.name).inserted else { throw fail("listed agent \(agent.name) twice") }
            for original in agent.mergedFrom ?? [agent.name] {
                guard requested.contains(original) else { throw fail("answered with unknown agent \(original)") }
                if let other = standsFor[original] { throw fail("placed agent \(original) in both \(other) and \(agent.name)") }
                standsFor[original] = agent.name
            }
            if let merged = agent.mergedFrom, !merged.contains(agent.name), requested.contains(agent.name) {
                throw fail("named merged agent \(agent.name) after a requested agent it does not include")
            }
        }
        if let missing = request.agents.first(where: { standsFor[$0.name] == nil }) {
            throw fail("dropped agent \(missing.name)")
        }
        return standsFor
    }

    private func checkValidNames(_ agents: [ResolvedAgent]) throws(ErrorInfo) {
        for agent in agents {
            do { try AgentName.validate(agent.name) } catch { throw fail("answered an invalid agent name \(agent.name.debugDescription)") }
        }
    }

    private func checkHeldKept(_ agents: [ResolvedAgent]) throws(ErrorInfo) {
        for held in request.agents where held.held {
            guard let answer = agents.first(where: { $0.name == held.name }),
                  Set(answer.files) == Set(held.files), Set(answer.directories) == Set(held.directories)
            else { throw fail("changed the scope of \(held.name), which already holds its lock") }
        }
    }

    private func compile(_ agents: [ResolvedAgent]) throws(ErrorInfo) -> [String: [CompiledEntry]] {
        var result: [String: [CompiledEntry]] = [:]
        for agent in agents {
            var entries: [CompiledEntry] = []
            for text in agent.files {
                do { entries.append(CompiledEntry(try ScopeEntry(parsing: text))) } catch { throw fail("answered an invalid entry: \(error.message)") }
            }
            for text in agent.directories {
                do { entries.append(CompiledEntry(try ScopeEntry(parsing: text, asDirectory: true))) } catch { throw fail("answered an invalid entry: \(error.message)") }
            }
            result[agent.name] = entries
        }
        return result
    }

    /// Every original entry is still covered — the same entry, or a directory holding its literal prefix —
    /// and every tree file an original scope covered is covered by the answer.
    private func checkNothingLost(_ compiled: [String: [CompiledEntry]]) throws(ErrorInfo) {
        let answered = compiled.values.flatMap { $0 }
        let texts = Set(answered.map(\.entry.text))
        let directories = answered.filter { $0.entry.kind == .directory }
        for agent in request.agents {
            let originals: [CompiledEntry]
            do { originals = try ConflictDetector.compile(agent) } catch { throw fail("was sent an entry it cannot keep: \(error.message)") }
            for original in originals {
                if texts.contains(original.entry.text) { continue }
                if original.entry.kind == .file {
                    let path = Self.unescaped(original.entry.text)
                    guard answered.contains(where: { $0.matches(path) }) else {
                        throw fail("lost \(original.entry.text) from \(agent.name)'s scope")
                    }
                    continue
                }
                // A directory covers a directory or glob whose literal prefix lies within it (their paths always go
                // deeper than that prefix).
                let prefix = LiteralPrefix.segments(of: original.entry).joined(separator: "/") + "/"
                let coveredByDirectory = directories.contains { prefix.hasPrefix($0.entry.text) }
                if coveredByDirectory { continue }
                // A divided directory or glob is judged by the real files it covered.
                let files = request.tree.filter(original.matches)
                guard !files.isEmpty else {
                    throw fail("lost \(original.entry.text) from \(agent.name)'s scope")
                }
                if let lost = files.first(where: { file in !answered.contains { $0.matches(file) } }) {
                    throw fail("lost \(lost), which \(agent.name)'s entry \(original.entry.text) covered")
                }
            }
        }
    }

    /// Every final agent in exactly one wave; returns final name → wave index.
    private func checkWaves(_ waves: [[String]], agents: [ResolvedAgent]) throws(ErrorInfo) -> [String: Int] {
        var waveOf: [String: Int] = [:]
        let names = Set(agents.map(\.name))
        for (index, wave) in waves.enumerated() {
            guard !wave.isEmpty else { throw fail("answered an empty wave \(index + 1)") }
            for name in wave {
                guard names.contains(name) else { throw fail("put unknown agent \(name) in wave \(index + 1)") }
                if let other = waveOf[name] { throw fail("put agent \(name) in waves \(other + 1) and \(index + 1)") }
                waveOf[name] = index
            }
        }
        if let missing = agents.first(where: { waveOf[$0.name] == nil }) { throw fail("left agent \(missing.name) out of every wave") }
        return waveOf
    }

    private func checkNoConflictInWaves(_ waves: [[String]], compiled: [String: [CompiledEntry]]) throws(ErrorInfo) {
        for (index, wave) in waves.enumerated() {
            var scopes = ScopeIndex<String>()
            for name in wave {
                for entry in compiled[name] ?? [] {
                    if let hit = scopes.overlaps(with: entry).first(where: { $0.value != name }) {
                        throw fail("put conflicting agents \(hit.value) and \(name) in wave \(index + 1) (both cover \(hit.witness))")
                    }
                }
                for entry in compiled[name] ?? [] { scopes.insert(entry, value: name) }
            }
        }
    }

    private func checkDependencies(waveOf: [String: Int], standsFor: [String: String]) throws(ErrorInfo) {
        for agent in request.agents {
            guard let final = standsFor[agent.name], let wave = waveOf[final] else { continue }
            for dependency in agent.dependsOn {
                guard let dependencyFinal = standsFor[dependency], dependencyFinal != final,
                      let dependencyWave = waveOf[dependencyFinal] else { continue }
                if dependencyWave >= wave {
                    throw fail("broke depends_on: \(agent.name) runs in wave \(wave + 1) but depends on \(dependency) in wave \(dependencyWave + 1)")
                }
            }
        }
    }

    /// The path a literal file entry names: backslash escapes removed.
    static func unescaped(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if !escaping, character == "\\" {
                escaping = true
                continue
            }
            escaping = false
            result.append(character)
        }
        return result
    }
}
