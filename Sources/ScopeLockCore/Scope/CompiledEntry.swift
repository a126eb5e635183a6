/// A matcher compiled once from an entry and reused for `matches` and overlap questions.
public struct CompiledEntry: Sendable {
    /// The entry this was compiled from.
    public let entry: ScopeEntry

    /// Literal shapes that are answered without the automaton.
    private enum Shape: Sendable {
        /// A file entry: exactly this path.
        case file(String)
        /// A directory entry with a literal path: everything strictly beneath it.
        case directory(String)
        /// Anything else.
        case pattern
    }

    private let shape: Shape
    /// Built only for patterns: literal files and directories are answered by string comparison, and a
    /// literal directory meets a pattern rarely enough to build its automaton on demand.
    private let compiled: Automaton?

    var automaton: Automaton { compiled ?? Automaton(NFA(entry)) }

    /// The single path a file entry names; nil for directories and globs.
    var exactPath: String? {
        if case .file(let path) = shape { return path }
        return nil
    }

    /// Compiles `entry`.
    public init(_ entry: ScopeEntry) {
        self.entry = entry
        switch (entry.kind, entry.literalPath) {
        case (.file, let path?): shape = .file(path)
        case (.directory, let path?): shape = .directory(path)
        default: shape = .pattern
        }
        if case .pattern = shape { compiled = Automaton(NFA(entry)) } else { compiled = nil }
    }

    /// Does this entry cover the concrete relative path (no leading "/", e.g. "src/a.py")?
    /// Paths that are not valid (empty or `.`/`..` segments, leading or trailing `/`) are never covered.
    public func matches(_ path: String) -> Bool {
        guard PathValidity.isValid(path) else { return false }
        switch shape {
        case .file(let file):
            return path.unicodeScalars.elementsEqual(file.unicodeScalars)
        case .directory(let directory):
            return Self.isStrictlyBeneath(path, directory)
        case .pattern:
            return automaton.accepts(path.unicodeScalars)
        }
    }

    /// A concrete valid path matched by both entries, or nil when they do not overlap. Exact.
    public static func witness(_ a: CompiledEntry, _ b: CompiledEntry) -> String? {
        switch (a.shape, b.shape) {
        case (.file(let path), _):
            return b.matches(path) ? path : nil
        case (_, .file(let path)):
            return a.matches(path) ? path : nil
        case (.directory(let left), .directory(let right)):
            if left.unicodeScalars.elementsEqual(right.unicodeScalars) || isStrictlyBeneath(right, left) {
                return right + "/a"
            }
            return isStrictlyBeneath(left, right) ? left + "/a" : nil
        default:
            return OverlapSearch.shortestCommonPath(a.automaton, b.automaton)
        }
    }

    /// True when `path` lies strictly beneath `directory`, segment-wise, compared scalar for scalar.
    private static func isStrictlyBeneath(_ path: String, _ directory: String) -> Bool {
        var pathScalars = path.unicodeScalars.makeIterator()
        for scalar in directory.unicodeScalars {
            guard pathScalars.next() == scalar else { return false }
        }
        return pathScalars.next() == "/" && pathScalars.next() != nil
    }
}
