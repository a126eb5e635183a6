extension ScopeEntry {
    /// A valid path both entries match, or nil when they do not overlap (compiles both).
    public func overlapWitness(with other: ScopeEntry) -> String? {
        CompiledEntry.witness(CompiledEntry(self), CompiledEntry(other))
    }
}
