import ScopeLockProtocol

/// Finds every pair of agents whose scopes overlap, through a `ScopeIndex` rather than comparing every
/// entry with every other. Conflicts come in manifest order, each with every overlapping pair of entries.
enum ConflictDetector {
    static func conflicts(among agents: [AgentScope]) throws(ErrorInfo) -> [AgentConflict] {
        var index = ScopeIndex<Int>()
        var byPair: [Pair: [EntryOverlap]] = [:]
        for (position, agent) in agents.enumerated() {
            let compiled = try compile(agent)
            for ours in compiled {
                for hit in index.overlaps(with: ours) where hit.value != position {
                    let pair = Pair(first: hit.value, second: position)
                    byPair[pair, default: []].append(EntryOverlap(entries: [hit.entry.entry.text, ours.entry.text], witness: hit.witness))
                }
            }
            for ours in compiled { index.insert(ours, value: position) }
        }
        return byPair.keys.sorted().map { pair in
            AgentConflict(agents: [agents[pair.first].name, agents[pair.second].name], overlaps: byPair[pair]!)
        }
    }

    /// The same conflicts, each witness replaced by a real repository file both entries cover, where one exists:
    /// `qualys/client_test.go` says more to a reviewer than the shortest path `qualys/_test.go`.
    static func preferringRealFiles(_ conflicts: [AgentConflict], tree: [String]) -> [AgentConflict] {
        guard !tree.isEmpty else { return conflicts }
        return conflicts.map { conflict in
            var better = conflict
            better.overlaps = conflict.overlaps.map { overlap in
                guard let left = try? ScopeEntry(parsing: overlap.entries[0]), let right = try? ScopeEntry(parsing: overlap.entries[1]) else {
                    return overlap
                }
                let (a, b) = (CompiledEntry(left), CompiledEntry(right))
                guard let file = tree.first(where: { a.matches($0) && b.matches($0) }) else { return overlap }
                return EntryOverlap(entries: overlap.entries, witness: file)
            }
            return better
        }
    }

    /// The agent's entries, compiled.
    static func compile(_ agent: AgentScope) throws(ErrorInfo) -> [CompiledEntry] {
        var result: [CompiledEntry] = []
        for text in agent.files {
            do { result.append(CompiledEntry(try ScopeEntry(parsing: text))) } catch { throw ErrorInfo(scope: error) }
        }
        for text in agent.directories {
            do { result.append(CompiledEntry(try ScopeEntry(parsing: text, asDirectory: true))) } catch { throw ErrorInfo(scope: error) }
        }
        return result
    }

    private struct Pair: Hashable, Comparable {
        let first: Int
        let second: Int

        static func < (lhs: Pair, rhs: Pair) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }
    }
}
