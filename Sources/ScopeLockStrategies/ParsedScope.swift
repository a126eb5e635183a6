import ScopeLockCore
import ScopeLockProtocol

/// An agent's scope with every entry parsed: file and glob entries, then directory entries, in request order.
struct ParsedScope: Sendable {
    var files: [ParsedEntry]
    var directories: [ParsedEntry]
    /// Entries the scope does not cover, as the request spells them.
    var excludeTexts: [String] = []
    /// The excludes, compiled.
    var excludes: ExcludeSet = .none

    /// A scope made of entries already parsed.
    init(files: [ParsedEntry], directories: [ParsedEntry]) {
        self.files = files
        self.directories = directories
    }

    /// Parses the `files` and `directories` lists of a request; `compiling` as for `ParsedEntry`.
    init(files: [String], directories: [String], compiling: Bool = true) throws(StrategyDecline) {
        var parsedFiles: [ParsedEntry] = []
        for text in files { parsedFiles.append(try ParsedEntry(text, directory: false, compiling: compiling)) }
        var parsedDirectories: [ParsedEntry] = []
        for text in directories { parsedDirectories.append(try ParsedEntry(text, directory: true, compiling: compiling)) }
        self.init(files: parsedFiles, directories: parsedDirectories)
    }

    /// Every entry: files and globs, then directories.
    var entries: [ParsedEntry] { files + directories }
    /// The `files` list as text.
    var fileTexts: [String] { files.map(\.text) }
    /// The `directories` list as text.
    var directoryTexts: [String] { directories.map(\.text) }
    /// True when the scope has no entry at all.
    var isEmpty: Bool { files.isEmpty && directories.isEmpty }

    /// True when some entry covers the repository path `path`.
    func covers(_ path: String) -> Bool { entries.contains { $0.matches(path) } && !excludes.excludes(path) }

    /// Parses and compiles `texts` as this scope's excludes.
    mutating func setExcludes(_ texts: [String]) throws(StrategyDecline) {
        var entries: [ScopeEntry] = []
        for text in texts {
            do { entries.append(try ScopeEntry(parsing: text)) } catch { throw .badRequest("exclude \(text.debugDescription) is not a valid scope entry: \(error.message)") }
        }
        do { excludes = try ExcludeSet(entries) } catch { throw .badRequest(error.message) }
        excludeTexts = texts
    }

    /// Adds `text` (a valid entry) to the excludes; false, leaving the scope as it was, when that would leave one of
    /// its entries covering nothing.
    mutating func exclude(_ text: String) -> Bool {
        if excludeTexts.contains(text) { return true }
        guard let entry = try? ScopeEntry(parsing: text) else { return false }
        guard let set = try? ExcludeSet(excludes.entries + [entry]),
              (try? ScopeMatcher.checkNothingEmptied(entries.map(\.compiled), by: set)) != nil
        else { return false }
        excludes = set
        excludeTexts.append(text)
        return true
    }

    /// Each pair of overlapping entries (this scope's first) with a witness, in entry order.
    func overlaps(with other: ParsedScope) -> [EntryOverlap] {
        var found: [EntryOverlap] = []
        for mine in entries {
            for theirs in other.entries {
                if let witness = CompiledEntry.witness(mine.compiled, excluding: excludes, theirs.compiled, excluding: other.excludes) {
                    found.append(EntryOverlap(entries: [mine.text, theirs.text], witness: witness))
                }
            }
        }
        return found
    }

    /// The union of several scopes: each entry text once, sorted.
    static func union(_ scopes: [ParsedScope]) -> ParsedScope {
        func unique(_ entries: [ParsedEntry]) -> [ParsedEntry] {
            var byText: [String: ParsedEntry] = [:]
            for entry in entries where byText[entry.text] == nil { byText[entry.text] = entry }
            return byText.keys.sorted().compactMap { byText[$0] }
        }
        return ParsedScope(files: unique(scopes.flatMap(\.files)), directories: unique(scopes.flatMap(\.directories)))
    }
}
