@testable import ScopeLockCore
import Testing

/// Plain literal entries are read in one pass over their bytes; whatever the text, the result must be
/// exactly what the full parse gives (or the full parse's error).
@Suite struct PlainLiteralTests {
    static func describe(_ result: Result<ScopeEntry, ScopeError>) -> String {
        switch result {
        case .success(let entry):
            let segments = entry.segments.map { "\($0.text)@\($0.position):\($0.nodes.count)" }
            return "\(entry.kind) \(entry.text.debugDescription) \(segments) \(entry.literalPath ?? "-")"
        case .failure(let error):
            return "error \(error)"
        }
    }

    @Test func agreesWithTheFullParse() {
        let pieces = ["a", "bc", "/", "/", ".", "..", "...", "*", "\\", "{x,y}", "é", "\n", " ", "-", "[a]", "}", ","]
        var generator = SystemRandomNumberGenerator()
        var plain = 0
        for _ in 0..<20_000 {
            let raw = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            for asDirectory in [false, true] {
                let fast = Result { () throws(ScopeError) in try ScopeEntry(parsing: raw, asDirectory: asDirectory) }
                let full = Result { () throws(ScopeError) in try ScopeEntry(parsingInFull: raw, asDirectory: asDirectory) }
                #expect(Self.describe(fast) == Self.describe(full), "\(raw.debugDescription) asDirectory: \(asDirectory)")
                if case .success(let entry) = fast, entry.kind != .glob { plain += 1 }
            }
        }
        #expect(plain > 5_000)
    }

    @Test func agreesAtTheLengthLimit() {
        let limit = ScopeLimits.maximumEntryBytes
        for raw in [String(repeating: "a", count: limit), String(repeating: "a", count: limit + 1),
                    String(repeating: "a", count: limit - 1) + "/", String(repeating: "a", count: limit) + "/"] {
            for asDirectory in [false, true] {
                let fast = Result { () throws(ScopeError) in try ScopeEntry(parsing: raw, asDirectory: asDirectory) }
                let full = Result { () throws(ScopeError) in try ScopeEntry(parsingInFull: raw, asDirectory: asDirectory) }
                #expect(Self.describe(fast) == Self.describe(full))
            }
        }
    }
}
