@testable import ScopeLockCore
import Testing

/// The overlap search with excludes stops at its bounds with `.undecided`, which callers read as "overlaps".
@Suite struct ExcludingSearchBoundsTests {
    /// Entries whose automata fan out (every `{,[ab]}` may be skipped), less excludes that together remove
    /// every common path: proving them disjoint takes the whole product.
    static let left = "x/**/*" + String(repeating: "{,[ab]}", count: 3) + "z"
    static let right = "x/**/" + String(repeating: "{,[bc]}", count: 3) + "*a??"

    static func compiled(_ text: String) throws -> CompiledEntry { CompiledEntry(try ScopeEntry(parsing: text)) }

    @Test func theStepBoundStopsTheSearchUndecided() throws {
        let (a, b) = (try Self.compiled(Self.left), try Self.compiled(Self.right))
        let excludesA = try ExcludeSet([ScopeEntry(parsing: "x/**/*a??")])
        let excludesB = try ExcludeSet([ScopeEntry(parsing: "x/**/*b??")])
        let exact = ExcludingOverlapSearch.shortestCommonPath(a.automaton, excluding: excludesA.automaton, b.automaton, excluding: excludesB.automaton)
        #expect(exact == .disjoint)
        let bounded = ExcludingOverlapSearch.shortestCommonPath(
            a.automaton, excluding: excludesA.automaton, b.automaton, excluding: excludesB.automaton, steps: 100
        )
        #expect(bounded == .undecided)
        let fewStates = ExcludingOverlapSearch.shortestCommonPath(
            a.automaton, excluding: excludesA.automaton, b.automaton, excluding: excludesB.automaton, limit: 10
        )
        #expect(fewStates == .undecided)
    }

    @Test func aDisjointPairIsProvedDisjointWithinTheBounds() throws {
        // Everything the right entry covers, the left scope's exclude removes.
        let (a, b) = (try Self.compiled("x/**"), try Self.compiled("x/**/*a???????"))
        let excludesA = try ExcludeSet([ScopeEntry(parsing: "x/**/*a???????")])
        let excludesB = try ExcludeSet([ScopeEntry(parsing: "x/**/*b???????")])
        let answer = ExcludingOverlapSearch.shortestCommonPath(a.automaton, excluding: excludesA.automaton, b.automaton, excluding: excludesB.automaton)
        #expect(answer == .disjoint)
    }
}
