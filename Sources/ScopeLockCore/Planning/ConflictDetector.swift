import ScopeLockProtocol

/// Finds every pair of agents whose scopes overlap, through a `ScopeIndex` rather than comparing every
/// entry with every other. Conflicts come in manifest order, each with every overlapping pair of entries.
enum ConflictDetector {
    static func conflicts(among scopes: [CompiledScope]) -> [AgentConflict] {
        var index = ScopeIndex<Int>()
        var byPair: [Pair: [EntryOverlap]] = [:]
        for (position, scope) in scopes.enumerated() {
            let entries = scope.entries
            for ours in entries {
                for hit in index.overlaps(with: ours, excluding: scope.excludes) where hit.value != position {
                    let pair = Pair(first: hit.value, second: position)
                    byPair[pair, default: []].append(EntryOverlap(entries: [hit.entry.entry.text, ours.entry.text], witness: hit.witness))
                }
            }
            for ours in entries { index.insert(ours, value: position, excludes: scope.excludes) }
        }
        return byPair.keys.sorted().map { pair in
            AgentConflict(agents: [scopes[pair.first].name, scopes[pair.second].name], overlaps: byPair[pair]!)
        }
    }

    /// The same conflicts, each witness replaced by a real repository file both entries cover, where one exists:
    /// `qualys/client_test.go` says more to a reviewer than the shortest path `qualys/_test.go`.
    static func preferringRealFiles(_ conflicts: [AgentConflict], scopes: [CompiledScope], tree: [String]) -> [AgentConflict] {
        guard !tree.isEmpty else { return conflicts }
        let involved = Set(conflicts.flatMap(\.agents))
        var entries: [String: [String: CompiledEntry]] = [:]
        var excludes: [String: ExcludeSet] = [:]
        for scope in scopes where involved.contains(scope.name) {
            excludes[scope.name] = scope.excludes
            entries[scope.name] = Dictionary(scope.entries.map { ($0.entry.text, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return conflicts.map { conflict in
            var better = conflict
            better.overlaps = conflict.overlaps.map { overlap in
                guard let a = entries[conflict.agents[0]]?[overlap.entries[0]], let b = entries[conflict.agents[1]]?[overlap.entries[1]],
                      let file = tree.first(where: { path in
                          a.matches(path) && b.matches(path)
                              && !(excludes[conflict.agents[0]]?.excludes(path) ?? false) && !(excludes[conflict.agents[1]]?.excludes(path) ?? false)
                      })
                else { return overlap }
                return EntryOverlap(entries: overlap.entries, witness: file)
            }
            return better
        }
    }

    private struct Pair: Hashable, Comparable {
        let first: Int
        let second: Int

        static func < (lhs: Pair, rhs: Pair) -> Bool { (lhs.first, lhs.second) < (rhs.first, rhs.second) }
    }
}
