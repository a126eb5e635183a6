import ScopeLockCore
import Testing

@Suite("Overlap with excludes against brute force")
struct ExcludeOverlapPropertyTests {
    /// Random exclude sets of zero to two entries from the same generator as the entries.
    static func randomExcludeSets(count: Int, from pool: [ScopeEntry], seed: UInt64) -> [[ScopeEntry]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let size = Int.random(in: 0...2, using: &generator)
            return (0..<size).map { _ in pool.randomElement(using: &generator)! }
        }
    }

    /// Which short paths an entry matches, by the reference matcher.
    static func matched(_ entry: ScopeEntry) -> [Bool] {
        let reference = ReferenceGlobMatcher(entry.text)
        return OverlapPropertyTests.pathSegments.map(reference.matches(segments:))
    }

    /// Which short paths some of `excludes` matches, by the reference matcher.
    static func matchedByAny(_ excludes: [ScopeEntry]) -> [Bool] {
        let references = excludes.map { ReferenceGlobMatcher($0.text) }
        return OverlapPropertyTests.pathSegments.map { segments in references.contains { $0.matches(segments: segments) } }
    }

    /// Which short paths a scope (one entry less its excludes) covers, by the reference matcher.
    static func covered(_ entry: ScopeEntry, excluding excludes: [ScopeEntry]) -> [Bool] {
        zip(matched(entry), matchedByAny(excludes)).map { $0 && !$1 }
    }

    @Test("exclude sets match exactly the paths some exclude covers")
    func excludesAgree() async throws {
        let pool = OverlapPropertyTests.randomEntries(count: 120, seed: 0xE8C1)
        var mismatches: [String] = []
        for excludes in Self.randomExcludeSets(count: 100, from: pool, seed: 3) where !excludes.isEmpty {
            await Task.yield()
            let set = try ExcludeSet(excludes)
            let references = excludes.map { ReferenceGlobMatcher($0.text) }
            for (path, segments) in zip(OverlapPropertyTests.paths, OverlapPropertyTests.pathSegments)
            where set.excludes(path) != references.contains(where: { $0.matches(segments: segments) }) {
                mismatches.append("\(excludes.map(\.text)) on \(path): engine \(set.excludes(path))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(10))")
    }

    @Test("overlap less excludes equals brute force, in both orders; witnesses check out and are shortest")
    func overlapAgrees() async throws {
        let entries = OverlapPropertyTests.randomEntries(count: 150, seed: 0xE8C2)
        let pool = OverlapPropertyTests.randomEntries(count: 120, seed: 0xE8C3)
        let excludeSets = Self.randomExcludeSets(count: 150, from: pool, seed: 11)
        let compiledSets = try excludeSets.map { try ExcludeSet($0) }
        let compiled = entries.map(CompiledEntry.init)
        let paths = OverlapPropertyTests.paths
        let entryPaths = entries.map(Self.matched)
        let excludedPaths = excludeSets.map(Self.matchedByAny)

        var generator = SeededGenerator(seed: 99)
        var failures: [String] = []
        var overlapping = 0
        var removedByExcludes = 0
        let cases = 3000
        for _ in 0..<cases {
            await Task.yield()
            let i = Int.random(in: 0..<entries.count, using: &generator)
            let j = Int.random(in: 0..<entries.count, using: &generator)
            let xi = Int.random(in: 0..<excludeSets.count, using: &generator)
            let xj = Int.random(in: 0..<excludeSets.count, using: &generator)
            let bruteForce = paths.indices.first {
                entryPaths[i][$0] && !excludedPaths[xi][$0] && entryPaths[j][$0] && !excludedPaths[xj][$0]
            }.map { paths[$0] }
            let witness = CompiledEntry.witness(compiled[i], excluding: compiledSets[xi], compiled[j], excluding: compiledSets[xj])
            let reversed = CompiledEntry.witness(compiled[j], excluding: compiledSets[xj], compiled[i], excluding: compiledSets[xi])
            let label = "\(entries[i].text) less \(excludeSets[xi].map(\.text)) vs \(entries[j].text) less \(excludeSets[xj].map(\.text))"
            if witness != nil { overlapping += 1 }
            if witness == nil, CompiledEntry.witness(compiled[i], compiled[j]) != nil { removedByExcludes += 1 }
            if (witness == nil) != (reversed == nil) {
                failures.append("\(label): not symmetric (\(witness ?? "none") / \(reversed ?? "none"))")
            }
            if let bruteForce, witness == nil {
                failures.append("\(label): engine finds none, brute force finds \(bruteForce)")
            }
            for found in [witness, reversed].compactMap({ $0 }) {
                let inLeft = ReferenceGlobMatcher(entries[i].text).matches(found) && !excludeSets[xi].contains { ReferenceGlobMatcher($0.text).matches(found) }
                let inRight = ReferenceGlobMatcher(entries[j].text).matches(found) && !excludeSets[xj].contains { ReferenceGlobMatcher($0.text).matches(found) }
                if !(ReferenceGlobMatcher.isValidPath(found) && inLeft && inRight) {
                    failures.append("\(label): witness \(found) not confirmed (brute force: \(bruteForce ?? "none"))")
                }
                if let bruteForce, found.unicodeScalars.count > bruteForce.unicodeScalars.count {
                    failures.append("\(label): witness \(found) longer than \(bruteForce)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10))")
        #expect(overlapping > cases / 10 && overlapping < cases * 9 / 10, "only \(overlapping) of \(cases) overlap: generator too one-sided")
        #expect(removedByExcludes > cases / 50, "only \(removedByExcludes) pairs were separated by excludes: too few to test them")
    }

    @Test("an entry is found empty exactly when its excludes remove every short path, or seem to")
    func emptinessAgrees() async throws {
        let entries = OverlapPropertyTests.randomEntries(count: 150, seed: 0xE8C4)
        let pool = OverlapPropertyTests.randomEntries(count: 120, seed: 0xE8C5)
        var failures: [String] = []
        var emptied = 0
        for (entry, excludes) in zip(entries, Self.randomExcludeSets(count: 150, from: pool + entries, seed: 5)) where !excludes.isEmpty {
            await Task.yield()
            let remainder = CompiledEntry(entry).remainder(excluding: try ExcludeSet(excludes))
            let bruteForce = Self.covered(entry, excluding: excludes).firstIndex(of: true).map { OverlapPropertyTests.paths[$0] }
            let label = "\(entry.text) less \(excludes.map(\.text))"
            if remainder == nil { emptied += 1 }
            if let bruteForce, remainder == nil { failures.append("\(label): found empty, but \(bruteForce) remains") }
            if let remainder {
                let confirmed = ReferenceGlobMatcher(entry.text).matches(remainder)
                    && !excludes.contains { ReferenceGlobMatcher($0.text).matches(remainder) }
                if !confirmed { failures.append("\(label): remainder \(remainder) not confirmed") }
            }
            // The scope as a whole is refused exactly when the entry is emptied.
            let refused: Bool
            do { _ = try ScopeMatcher(entries: [entry], excludes: excludes); refused = false } catch { refused = true }
            if refused != (remainder == nil) { failures.append("\(label): ScopeMatcher refused=\(refused), remainder \(remainder ?? "none")") }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10))")
        #expect(emptied > 0, "no entry was emptied: the generator never tests emptiness")
    }
}
