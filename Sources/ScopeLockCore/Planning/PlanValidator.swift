import ScopeLockProtocol

/// Checks a strategy's answer against the invariants of section 7. The host trusts nothing: any breach
/// is a `plugin_error` naming the plugin and what it did wrong.
///
/// Every check is exact, and none compares all pairs. An answered agent whose scope is exactly the one requested
/// under its name is judged by what the host already knows of it: its compiled entries, and the conflicts the host
/// found. Every other entry meets only the entries a `ScopeIndex` finds for it.
struct PlanValidator {
    let plugin: String
    let request: ResolveRequest
    /// The scopes of `request.agents`, compiled, in the same order.
    let scopes: [CompiledScope]

    func validate(_ answer: ResolveAnswer) throws(ErrorInfo) {
        guard answer.protocol == request.protocol else {
            throw fail("answered protocol \(answer.protocol.debugDescription), not \(request.protocol)")
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
        let unchanged = unchangedAgents(agents)
        let compiled = try compile(agents, unchanged: unchanged)
        let excludes = try compileExcludes(agents, compiled: compiled, unchanged: unchanged)
        try checkExcludedGivenAway(agents, compiled: compiled, excludes: excludes)
        try checkNothingLost(compiled, excludes: excludes, unchanged: unchanged, standsFor: standsFor)
        let waveOf = try checkWaves(waves, agents: agents)
        try checkNoConflictInWaves(waves, waveOf: waveOf, compiled: compiled, excludes: excludes, unchanged: unchanged)
        try checkDependencies(waveOf: waveOf, standsFor: standsFor)
    }

    /// The answered agents whose scope is exactly the one requested under their name (the same entries in the same
    /// lists and order, merged from nobody else), with the requested agent's position.
    private func unchangedAgents(_ agents: [ResolvedAgent]) -> [String: Int] {
        var position: [String: Int] = [:]
        for (index, agent) in request.agents.enumerated() { position[agent.name] = index }
        var unchanged: [String: Int] = [:]
        for agent in agents {
            guard let index = position[agent.name], (agent.mergedFrom ?? [agent.name]) == [agent.name],
                  Self.sameTexts(agent.files, request.agents[index].files),
                  Self.sameTexts(agent.directories, request.agents[index].directories),
                  Self.sameTexts(agent.excludes ?? [], request.agents[index].excludes ?? [])
            else { continue }
            unchanged[agent.name] = index
        }
        return unchanged
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
        let byName = Dictionary(agents.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for held in request.agents where held.held {
            guard let answer = byName[held.name],
                  Set(answer.files.map(Self.scalars)) == Set(held.files.map(Self.scalars)),
                  Set(answer.directories.map(Self.scalars)) == Set(held.directories.map(Self.scalars)),
                  Set((answer.excludes ?? []).map(Self.scalars)) == Set((held.excludes ?? []).map(Self.scalars))
            else { throw fail("changed the scope of \(held.name), which already holds its lock") }
        }
    }

    /// The answer's entries, compiled: an unchanged agent's are the requested ones, an entry the request had
    /// elsewhere (same text, same list) reuses its compiled form, and only new entries are parsed.
    private func compile(_ agents: [ResolvedAgent], unchanged: [String: Int]) throws(ErrorInfo) -> [String: [CompiledEntry]] {
        typealias Known = [[Unicode.Scalar]: CompiledEntry]
        var known: (files: Known, directories: Known)?
        func knownEntries() -> (files: Known, directories: Known) {
            if let known { return known }
            var files: Known = [:]
            var directories: Known = [:]
            for scope in scopes {
                for entry in scope.files { files[Self.scalars(entry.entry.text)] = entry }
                for entry in scope.directories { directories[Self.scalars(entry.entry.text)] = entry }
            }
            known = (files, directories)
            return (files, directories)
        }
        var result: [String: [CompiledEntry]] = [:]
        for agent in agents {
            if let position = unchanged[agent.name] {
                result[agent.name] = scopes[position].entries
                continue
            }
            var entries: [CompiledEntry] = []
            for text in agent.files {
                if let entry = knownEntries().files[Self.scalars(text)] { entries.append(entry); continue }
                do { entries.append(CompiledEntry(try ScopeEntry(parsing: text))) } catch { throw fail("answered an invalid entry: \(error.message)") }
            }
            for text in agent.directories {
                if let entry = knownEntries().directories[Self.scalars(text)] { entries.append(entry); continue }
                do { entries.append(CompiledEntry(try ScopeEntry(parsing: text, asDirectory: true))) } catch { throw fail("answered an invalid entry: \(error.message)") }
            }
            result[agent.name] = entries
        }
        return result
    }

    /// Each answered agent's excludes, compiled: an unchanged agent's are the requested ones. An exclude that is
    /// not a valid entry, is too complex, or leaves one of the agent's entries covering nothing is refused.
    private func compileExcludes(
        _ agents: [ResolvedAgent], compiled: [String: [CompiledEntry]], unchanged: [String: Int]
    ) throws(ErrorInfo) -> [String: ExcludeSet] {
        var result: [String: ExcludeSet] = [:]
        for agent in agents {
            if let position = unchanged[agent.name] {
                result[agent.name] = scopes[position].excludes
                continue
            }
            guard let texts = agent.excludes, !texts.isEmpty else {
                result[agent.name] = ExcludeSet.none
                continue
            }
            do throws(ScopeError) {
                var entries: [ScopeEntry] = []
                for text in texts { do { entries.append(try ScopeEntry(parsing: text)) } catch { throw error.asExclude } }
                let set = try ExcludeSet(entries)
                try ScopeMatcher.checkNothingEmptied(compiled[agent.name] ?? [], by: set)
                result[agent.name] = set
            } catch {
                throw fail("answered agent \(agent.name) with a bad exclude: \(error.message)")
            }
        }
        return result
    }

    /// What an exclude the strategy added takes away from an agent must be covered by another agent of the
    /// answer: for each new exclude and each of the agent's entries, the paths both cover lie inside one other
    /// agent's entries, and outside that agent's excludes.
    private func checkExcludedGivenAway(
        _ agents: [ResolvedAgent], compiled: [String: [CompiledEntry]], excludes: [String: ExcludeSet]
    ) throws(ErrorInfo) {
        let requested = Dictionary(request.agents.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for agent in agents {
            guard let set = excludes[agent.name], !set.isEmpty else { continue }
            // Excludes the requested agent already had under this name are not new.
            let merged = agent.mergedFrom ?? [agent.name]
            let original = merged == [agent.name] ? Set((requested[agent.name]?.excludes ?? []).map(Self.scalars)) : []
            let originalEntries = merged == [agent.name]
                ? (requested[agent.name]?.excludes ?? []).compactMap { try? ScopeEntry(parsing: $0) } : []
            let others = agents.filter { $0.name != agent.name }
            for exclude in set.entries where !original.contains(Self.scalars(exclude.text)) {
                let removing = CompiledEntry(exclude)
                for entry in compiled[agent.name] ?? [] where CompiledEntry.witness(entry, removing) != nil {
                    let givenAway = others.contains { other in
                        guard let receiving = try? ExcludeSet((compiled[other.name] ?? []).map(\.entry) + originalEntries) else { return false }
                        let outside = (excludes[other.name] ?? .none).entries.allSatisfy { CompiledEntry.witness(removing, CompiledEntry($0)) == nil }
                        return outside && CompiledEntry.witness(entry, excluding: receiving, removing, excluding: .none) == nil
                    }
                    if !givenAway {
                        let lost = CompiledEntry.witness(entry, removing) ?? exclude.text
                        throw fail("lost \(lost) from \(agent.name)'s scope: it excluded \(exclude.text) from \(entry.entry.text) without giving it to another agent")
                    }
                }
            }
        }
    }

    /// Every original entry is still covered — the same entry, or a directory holding its literal prefix —
    /// and every tree file an original scope covered is covered by the answer. An agent answered unchanged
    /// under its own name keeps every entry.
    private func checkNothingLost(
        _ compiled: [String: [CompiledEntry]], excludes: [String: ExcludeSet], unchanged: [String: Int], standsFor: [String: String]
    ) throws(ErrorInfo) {
        var answered: [CompiledEntry] = []
        var answeredExcludes: [ExcludeSet] = []
        var answeredTexts: (all: Set<[Unicode.Scalar]>, directories: Set<[Unicode.Scalar]>)?
        var answeredIndex: ScopeIndex<Int>?
        /// True when some answered entry covers the file that the exact file entry `file` names.
        func answerCovers(_ file: CompiledEntry) -> Bool {
            if answeredIndex == nil {
                var index = ScopeIndex<Int>()
                for (position, entry) in answered.enumerated() { index.insert(entry, value: position, excludes: answeredExcludes[position]) }
                answeredIndex = index
            }
            return !answeredIndex!.overlaps(with: file).isEmpty
        }
        for (agent, scope) in zip(request.agents, scopes) {
            if standsFor[agent.name] == agent.name, unchanged[agent.name] != nil { continue }
            if answeredTexts == nil {
                for (name, entries) in compiled {
                    answered += entries
                    answeredExcludes += Array(repeating: excludes[name] ?? .none, count: entries.count)
                }
                // An entry kept whole counts by its text; one less new excludes is whole too, because what those
                // excludes took away was given to another agent (checkExcludedGivenAway).
                answeredTexts = (
                    Set(answered.map { Self.scalars($0.entry.text) }),
                    Set(answered.filter { $0.entry.kind == .directory }.map { Self.scalars($0.entry.text) })
                )
            }
            let texts = answeredTexts!
            for original in scope.entries {
                if texts.all.contains(Self.scalars(original.entry.text)) { continue }
                if original.entry.kind == .file {
                    guard answerCovers(original) else {
                        throw fail("lost \(original.entry.text) from \(agent.name)'s scope")
                    }
                    continue
                }
                // A directory covers a directory or glob whose literal prefix lies within it (their paths always go
                // deeper than that prefix): the prefix up to one of its slashes is an answered directory.
                let prefix = Self.scalars(LiteralPrefix.segments(of: original.entry).joined(separator: "/") + "/")
                let coveredByDirectory = prefix.indices.contains { index in
                    prefix[index] == "/" && texts.directories.contains(Array(prefix[...index]))
                }
                if coveredByDirectory { continue }
                // A divided directory or glob is judged by the real files it covered.
                let files = request.tree.filter { original.matches($0) && !scope.excludes.excludes($0) }
                guard !files.isEmpty else {
                    throw fail("lost \(original.entry.text) from \(agent.name)'s scope")
                }
                for file in files {
                    let covered = ScopeEntry.repositoryFile(file).map { answerCovers(CompiledEntry($0)) }
                        ?? answered.indices.contains { answered[$0].matches(file) && !answeredExcludes[$0].excludes(file) }
                    if !covered { throw fail("lost \(file), which \(agent.name)'s entry \(original.entry.text) covered") }
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

    /// No two agents of one wave overlap. Two unchanged agents overlap exactly when the host found them in
    /// conflict; an agent with a new scope is looked up in an index of its wave.
    private func checkNoConflictInWaves(
        _ waves: [[String]], waveOf: [String: Int], compiled: [String: [CompiledEntry]], excludes: [String: ExcludeSet],
        unchanged: [String: Int]
    ) throws(ErrorInfo) {
        for conflict in request.conflicts {
            let (one, other) = (conflict.agents[0], conflict.agents[1])
            guard unchanged[one] != nil, unchanged[other] != nil, let wave = waveOf[one], waveOf[other] == wave else { continue }
            let witness = conflict.overlaps.first?.witness ?? "the same paths"
            throw fail("put conflicting agents \(one) and \(other) in wave \(wave + 1) (both cover \(witness))")
        }
        for (index, wave) in waves.enumerated() {
            let changed = wave.filter { unchanged[$0] == nil }
            guard !changed.isEmpty else { continue }
            var scopes = ScopeIndex<String>()
            for name in wave {
                for entry in compiled[name] ?? [] { scopes.insert(entry, value: name, excludes: excludes[name] ?? .none) }
            }
            for name in changed {
                for entry in compiled[name] ?? [] {
                    if let hit = scopes.overlaps(with: entry, excluding: excludes[name] ?? .none).first(where: { $0.value != name }) {
                        throw fail("put conflicting agents \(hit.value) and \(name) in wave \(index + 1) (both cover \(hit.witness))")
                    }
                }
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

    /// Entry text as scalars: the scope engine compares text scalar for scalar, where `String` would take
    /// canonically equivalent spellings for equal.
    private static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }

    /// True when both lists hold the same texts in the same order, scalar for scalar.
    private static func sameTexts(_ one: [String], _ other: [String]) -> Bool {
        one.elementsEqual(other) { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
    }
}
