import Foundation
@testable import ScopeLockCore
import Testing

/// Plain relative entries are normalised in one pass; the result must be exactly the full normalisation's.
@Suite struct NormalizerFastPathTests {
    @Test func agreesWithTheFullNormalisation() throws {
        let root = try TemporaryRoot()
        let normalizer = EntryNormalizer(root: root.path)
        let pieces = ["src", "lib", "main.swift", "docs", "/", "/", ".", "..", "new", "*", "app", "[id]", "page.tsx", root.path]
        var generator = SystemRandomNumberGenerator()
        func describe(_ result: Result<NormalizedEntry, ScopeError>) -> String {
            switch result {
            case .success(let normalized):
                "\(normalized.entry.kind) \(normalized.entry.text.debugDescription) \(normalized.escapedLiteral) \(normalized.entry.literalPath ?? "-")"
            case .failure(let error): "error \(error)"
            }
        }
        var plain = 0
        for _ in 0..<5_000 {
            let raw = (0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let fast = Result { () throws(ScopeError) in try normalizer.normalize(raw) }
            let full = Result { () throws(ScopeError) in try normalizer.normalizeInFull(raw) }
            #expect(describe(fast) == describe(full), "\(raw.debugDescription)")
            if ScopeEntry.plainLiteral(raw, asDirectory: false) != nil { plain += 1 }
        }
        #expect(plain > 200)
    }
}
