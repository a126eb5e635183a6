import ScopeLockCore

/// One scope entry as the request spells it, parsed and compiled by the scope engine.
struct ParsedEntry: Sendable {
    /// The entry exactly as the request wrote it; answers repeat it verbatim.
    let text: String
    let entry: ScopeEntry
    /// The matcher built when the entry was parsed; nil when it was parsed without one.
    private let compiledOnce: CompiledEntry?

    /// Parses `text`; `directory` is true for entries from a `directories` list. `compiling` builds the matcher
    /// now, for an entry that will be matched; without it, each match compiles the entry again.
    init(_ text: String, directory: Bool, compiling: Bool = true) throws(StrategyDecline) {
        do {
            entry = try ScopeEntry(parsing: text, asDirectory: directory)
        } catch {
            throw .badRequest("entry \(text.debugDescription) is not a valid scope entry: \(error.message)")
        }
        self.text = text
        compiledOnce = compiling ? CompiledEntry(entry) : nil
    }

    /// The entry's matcher.
    var compiled: CompiledEntry { compiledOnce ?? CompiledEntry(entry) }

    /// File, directory or glob.
    var kind: ScopeEntry.Kind { entry.kind }

    /// True when the entry covers the repository path `path`.
    func matches(_ path: String) -> Bool { compiled.matches(path) }

    /// A path both entries cover, or nil when they do not overlap.
    func witness(with other: ParsedEntry) -> String? { CompiledEntry.witness(compiled, other.compiled) }

    /// The one path an exact file entry names; nil for directories and globs.
    var filePath: String? { kind == .file ? CompiledEntry.witness(compiled, compiled) : nil }

    /// True when this is a directory entry that owns everything beneath the literal directory `path`
    /// (which ends in `/`): the same directory or one that contains it.
    func containsDirectory(_ path: String) -> Bool {
        kind == .directory && matches(path + "x")
    }
}
