/// One scope, compiled: its entries less its excludes. The single answer to "does this scope cover this
/// path" and "do these two scopes overlap" that conflicts, `owner`, `guard`, hooks, plans and strategies use.
public struct ScopeMatcher: Sendable {
    /// The entries, compiled.
    public let entries: [CompiledEntry]
    /// The excludes.
    public let excludes: ExcludeSet

    /// A scope from compiled parts, trusted to be valid (no entry emptied by the excludes).
    public init(entries: [CompiledEntry], excludes: ExcludeSet = .none) {
        self.entries = entries
        self.excludes = excludes
    }

    /// Compiles a scope given by a user or read from a record: `invalid_input` when the excludes are too
    /// complex, or when they remove everything some entry covers (naming that entry).
    public init(entries: [ScopeEntry], excludes: [ScopeEntry]) throws(ScopeError) {
        let compiledExcludes = try ExcludeSet(excludes)
        let compiled = entries.map(CompiledEntry.init)
        try Self.checkNothingEmptied(compiled, by: compiledExcludes)
        self.init(entries: compiled, excludes: compiledExcludes)
    }

    /// Throws when `excludes` remove everything one of `entries` covers.
    public static func checkNothingEmptied(_ entries: [CompiledEntry], by excludes: ExcludeSet) throws(ScopeError) {
        guard !excludes.isEmpty else { return }
        for entry in entries where entry.remainder(excluding: excludes) == nil {
            let removing = excludes.entries.filter { CompiledEntry.witness(entry, CompiledEntry($0)) != nil }
            throw .emptiedByExcludes(entry.entry.text, excludes: (removing.isEmpty ? excludes.entries : removing).map(\.text))
        }
    }

    /// Does the scope cover `path` (an entry covers it, no exclude does)?
    public func covers(_ path: String) -> Bool { coveringEntry(path) != nil }

    /// The first entry that covers `path`, when no exclude does.
    public func coveringEntry(_ path: String) -> CompiledEntry? {
        guard let entry = entries.first(where: { $0.matches(path) }), !excludes.excludes(path) else { return nil }
        return entry
    }

    /// Does the scope's `entry` (one of its entries) cover a path `other` also covers, outside both
    /// scopes' excludes? The path, or nil.
    public func witness(_ entry: CompiledEntry, _ other: CompiledEntry, excluding otherExcludes: ExcludeSet = .none) -> String? {
        CompiledEntry.witness(entry, excluding: excludes, other, excluding: otherExcludes)
    }

    /// Every pair of entries (ours, theirs) that overlap outside both scopes' excludes, each with a witness.
    public func overlaps(with other: ScopeMatcher) -> [(ours: CompiledEntry, theirs: CompiledEntry, witness: String)] {
        var result: [(ours: CompiledEntry, theirs: CompiledEntry, witness: String)] = []
        for ours in entries {
            for theirs in other.entries {
                if let path = CompiledEntry.witness(ours, excluding: excludes, theirs, excluding: other.excludes) {
                    result.append((ours, theirs, path))
                }
            }
        }
        return result
    }

    /// The scope for people: `qualys/ except qualys/*_test.go`.
    public var description: String {
        ScopeMatcher.describe(entries: entries.map(\.entry.text), excludes: excludes.texts)
    }

    /// `a, b except c, d`; the entries alone when there are no excludes.
    public static func describe(entries: [String], excludes: [String]) -> String {
        let covered = entries.joined(separator: ", ")
        return excludes.isEmpty ? covered : covered + " except " + excludes.joined(separator: ", ")
    }
}
