extension CompiledEntry {
    /// Everything: the entry `**`, against which an entry less its excludes is tested for emptiness.
    static let everything = CompiledEntry(try! ScopeEntry(parsing: "**"))

    /// A valid path `a` covers outside `excludesA` and `b` covers outside `excludesB`, or nil when there is none.
    /// Exact, and a shortest such path, except past ``ScopeLimits/maximumExcludeSearchStates``, where the
    /// answer is the entries' own witness (the safe side: the pair is taken to overlap).
    public static func witness(_ a: CompiledEntry, excluding excludesA: ExcludeSet, _ b: CompiledEntry, excluding excludesB: ExcludeSet) -> String? {
        guard let plain = witness(a, b) else { return nil }
        if excludesA.isEmpty && excludesB.isEmpty { return plain }
        // The shortest common path overall is the answer when no exclude removes it.
        if !excludesA.excludes(plain) && !excludesB.excludes(plain) { return plain }
        // A file entry covers one path only, and it is excluded.
        if a.exactPath != nil || b.exactPath != nil { return nil }
        switch ExcludingOverlapSearch.shortestCommonPath(a.automaton, excluding: excludesA.automaton, b.automaton, excluding: excludesB.automaton) {
        case .witness(let path): return path
        case .disjoint: return nil
        case .undecided: return plain
        }
    }

    /// A valid path the entry covers that `excludes` leaves, or nil when the excludes remove all of it.
    public func remainder(excluding excludes: ExcludeSet) -> String? {
        Self.witness(self, excluding: excludes, .everything, excluding: .none)
    }
}
