@testable import ScopeLockCore
import Testing

@Suite struct LiteralPrefixTests {
    static let pool = [
        "src/a.go", "src/", "src/*/x.go", "docs/**", "*.md", "**/*.go", "s*/a.go", "{src,docs}/a", "src2/", "a",
        "a/", "src/a.go/", "d\\*cs/x", "docs/guide.md", "[sd]rc/a.go", "?rc/", "tools/gen/",
    ]

    /// Sets of entries whose first-segment sets are disjoint never overlap: the shortcut the conflict search
    /// takes to pass over a whole record is never wrong.
    @Test func disjointFirstSegmentsMeanNoOverlap() throws {
        let entries = try Self.pool.map { try ScopeEntry(parsing: $0) }
        var generator = SystemRandomNumberGenerator()
        var skipped = 0
        for _ in 0..<1_500 {
            let left = (0..<Int.random(in: 1...3, using: &generator)).map { _ in entries.randomElement(using: &generator)! }
            let right = (0..<Int.random(in: 1...3, using: &generator)).map { _ in entries.randomElement(using: &generator)! }
            guard let mine = LiteralPrefix.firstSegments(of: left), let theirs = LiteralPrefix.firstSegments(of: right),
                  mine.isDisjoint(with: theirs)
            else { continue }
            skipped += 1
            let overlapping = left.contains { a in right.contains { a.overlapWitness(with: $0) != nil } }
            #expect(!overlapping, "\(left) and \(right)")
        }
        #expect(skipped > 50)
    }

    @Test func aPatternInTheFirstSegmentReachesEverywhere() throws {
        #expect(LiteralPrefix.firstSegments(of: [try ScopeEntry(parsing: "src/a.go"), try ScopeEntry(parsing: "*.md")]) == nil)
        #expect(LiteralPrefix.firstSegments(of: [try ScopeEntry(parsing: "src/*.go"), try ScopeEntry(parsing: "docs/")]) == ["src", "docs"])
    }
}
