import Foundation
import ScopeLockCore
import Testing

/// One pair from the public conformance file.
struct OverlapFixturePair: Decodable, Sendable, CustomTestStringConvertible {
    let left: String
    let right: String
    let overlap: Bool
    let witnessExample: String?
    let note: String

    enum CodingKeys: String, CodingKey {
        case left, right, overlap, note
        case witnessExample = "witness_example"
    }

    var testDescription: String { "\(left) vs \(right) (\(note))" }

    /// The pairs in `Tests/ScopeLockCoreTests/Fixtures/overlap.json`.
    static func load() throws -> [OverlapFixturePair] {
        struct File: Decodable { let pairs: [OverlapFixturePair] }
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Fixtures/overlap.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).pairs
    }
}

@Suite("Overlap conformance fixture")
struct OverlapConformanceTests {
    @Test("fixture is present and non-trivial")
    func fixtureLoads() throws {
        let pairs = try OverlapFixturePair.load()
        #expect(pairs.count >= 20)
        #expect(pairs.contains { $0.overlap } && pairs.contains { !$0.overlap })
    }

    @Test("answer and witness, in both orders", arguments: try OverlapFixturePair.load())
    func pair(_ pair: OverlapFixturePair) throws {
        let left = CompiledEntry(try ScopeEntry(parsing: pair.left))
        let right = CompiledEntry(try ScopeEntry(parsing: pair.right))
        for (first, second) in [(left, right), (right, left)] {
            let witness = CompiledEntry.witness(first, second)
            #expect((witness != nil) == pair.overlap, "\(first.entry) vs \(second.entry): witness \(witness ?? "none")")
            if let witness {
                #expect(ReferenceGlobMatcher.isValidPath(witness), "witness \(witness) is not a valid path")
                #expect(first.matches(witness), "\(first.entry) does not match witness \(witness)")
                #expect(second.matches(witness), "\(second.entry) does not match witness \(witness)")
            }
        }
        if let example = pair.witnessExample {
            #expect(left.matches(example) && right.matches(example), "fixture example \(example)")
        }
        let convenience = try ScopeEntry(parsing: pair.left).overlapWitness(with: ScopeEntry(parsing: pair.right))
        #expect((convenience != nil) == pair.overlap)
    }
}
