import ScopeLockCore
import Testing

/// A small deterministic generator (SplitMix64), so every run sees the same cases.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Overlap against brute force")
struct OverlapPropertyTests {
    /// Pattern pieces over the alphabet {a, b, ., /}; the last two put `**` and `/` at brace edges.
    static let atoms = ["a", "b", ".", "/", "*", "?", "**", "[ab]", "[!a]", "{a,b/a}", "{**,a}", "{a/,b}"]
    static let bound = 6

    /// Every valid path over {a, b, ., /} up to `bound` scalars.
    static let paths: [String] = {
        var all: [String] = []
        var layer = [""]
        for _ in 1...bound {
            layer = layer.flatMap { prefix in ["a", "b", ".", "/"].map { prefix + $0 } }
            all += layer.filter(ReferenceGlobMatcher.isValidPath)
        }
        return all
    }()

    /// `paths`, each split into segments for the reference matcher.
    static let pathSegments = paths.map(ReferenceGlobMatcher.segments(of:))

    /// Distinct random entries that parse (absolute ones and those naming the root are skipped).
    static func randomEntries(count: Int, seed: UInt64) -> [ScopeEntry] {
        var generator = SeededGenerator(seed: seed)
        var entries: [ScopeEntry] = []
        var seen = Set<ScopeEntry>()
        while entries.count < count {
            let pieces = Int.random(in: 1...4, using: &generator)
            var raw = (0..<pieces).map { _ in atoms.randomElement(using: &generator)! }.joined()
            if Int.random(in: 0..<4, using: &generator) == 0 { raw += "/" }
            guard let entry = try? ScopeEntry(parsing: raw), seen.insert(entry).inserted else { continue }
            entries.append(entry)
        }
        return entries
    }

    @Test("matches() agrees with the reference matcher on every short path")
    func matchesAgree() async {
        var mismatches: [String] = []
        for entry in Self.randomEntries(count: 200, seed: 0x5C0_9E10) {
            await Task.yield()  // heavy and synchronous: leave room for the suite's timed tests
            let compiled = CompiledEntry(entry)
            let reference = ReferenceGlobMatcher(entry.text)
            for (path, segments) in zip(Self.paths, Self.pathSegments)
            where compiled.matches(path) != reference.matches(segments: segments) {
                mismatches.append("\(entry.text) on \(path): engine \(compiled.matches(path))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(10))")
    }

    @Test("overlap answers equal brute-force enumeration; witnesses check out")
    func overlapAgrees() async {
        let entries = Self.randomEntries(count: 200, seed: 0x0F_1A_9)
        let compiled = entries.map(CompiledEntry.init)
        let references = entries.map { ReferenceGlobMatcher($0.text) }
        let matched: [[Bool]] = references.map { reference in Self.pathSegments.map(reference.matches(segments:)) }

        var generator = SeededGenerator(seed: 42)
        var failures: [String] = []
        var overlapping = 0
        let cases = 4000
        for _ in 0..<cases {
            await Task.yield()
            let i = Int.random(in: 0..<entries.count, using: &generator)
            let j = Int.random(in: 0..<entries.count, using: &generator)
            let bruteForce = Self.paths.indices.first { matched[i][$0] && matched[j][$0] }.map { Self.paths[$0] }
            let witness = CompiledEntry.witness(compiled[i], compiled[j])
            let reversed = CompiledEntry.witness(compiled[j], compiled[i])
            let label = "\(entries[i].text) vs \(entries[j].text)"
            if witness != nil { overlapping += 1 }
            if (witness == nil) != (reversed == nil) {
                failures.append("\(label): not symmetric (\(witness ?? "none") / \(reversed ?? "none"))")
            }
            if let bruteForce, witness == nil {
                failures.append("\(label): engine finds none, brute force finds \(bruteForce)")
            }
            for found in [witness, reversed].compactMap({ $0 }) {
                let confirmed = ReferenceGlobMatcher.isValidPath(found) && references[i].matches(found) && references[j].matches(found)
                    && compiled[i].matches(found) && compiled[j].matches(found)
                if !confirmed {
                    failures.append("\(label): witness \(found) not confirmed (brute force: \(bruteForce ?? "none"))")
                }
                if let bruteForce, found.unicodeScalars.count > bruteForce.unicodeScalars.count {
                    failures.append("\(label): witness \(found) longer than \(bruteForce)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10))")
        #expect(overlapping > cases / 10 && overlapping < cases * 9 / 10, "only \(overlapping) of \(cases) overlap: generator too one-sided")
    }

    @Test("entry text parses back to the same entry")
    func textRoundTrips() throws {
        for entry in Self.randomEntries(count: 300, seed: 7) {
            let again = try ScopeEntry(parsing: entry.text, asDirectory: entry.kind == .directory)
            #expect(again == entry)
        }
    }
}
