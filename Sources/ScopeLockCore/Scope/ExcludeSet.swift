/// A scope's excludes (interface.md section 12), compiled once: the entries the scope does not cover.
///
/// A scope covers a path when one of its entries covers it and no exclude does. The set is small to copy
/// and safe to share; ``none`` stands for a scope without excludes.
public struct ExcludeSet: Sendable {
    /// The exclude entries, as given.
    public let entries: [ScopeEntry]
    /// Their union, determinised.
    let automaton: ExcludeAutomaton

    /// No excludes: covers nothing away.
    public static let none = ExcludeSet(entries: [], automaton: .nothing)

    private init(entries: [ScopeEntry], automaton: ExcludeAutomaton) {
        self.entries = entries
        self.automaton = automaton
    }

    /// Compiles `entries`; `invalid_input` when their union is too complex to decide exactly
    /// (more than ``ScopeLimits/maximumExcludeStates`` determinised states).
    public init(_ entries: [ScopeEntry]) throws(ScopeError) {
        guard !entries.isEmpty else {
            self = .none
            return
        }
        guard let automaton = ExcludeAutomaton(union: entries.map { Automaton(NFA($0)) }) else {
            throw .excludesTooComplex(entries.map(\.text))
        }
        self.init(entries: entries, automaton: automaton)
    }

    /// True when there are no excludes.
    public var isEmpty: Bool { entries.isEmpty }

    /// The exclude entries as text.
    public var texts: [String] { entries.map(\.text) }

    /// Does some exclude cover the path? Invalid paths are never covered.
    public func excludes(_ path: String) -> Bool {
        guard !entries.isEmpty, PathValidity.isValid(path) else { return false }
        return automaton.accepts(path.unicodeScalars)
    }
}
