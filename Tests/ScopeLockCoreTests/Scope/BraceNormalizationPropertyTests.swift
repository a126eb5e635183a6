import Foundation
import ScopeLockCore
import Testing

/// Normalisation inside braces (interface.md section 1), against its definition: expand the braces, normalise
/// each alternative on its own, and the entry must cover exactly the paths the normalised alternatives cover
/// (alternatives naming the root cover nothing); if one alternative leaves the root, or none covers anything,
/// the entry is invalid.
@Suite("Normalisation inside braces against expansion")
struct BraceNormalizationPropertyTests {
    /// A generated entry: pieces, each a plain text or a group of alternatives (each a list of pieces).
    indirect enum Piece {
        case text(String)
        case group([[Piece]])

        var rendered: String {
            switch self {
            case .text(let text): text
            case .group(let alternatives): "{" + alternatives.map { $0.map(\.rendered).joined() }.joined(separator: ",") + "}"
            }
        }
    }

    static let texts = ["a", "b", "s", "x.go", "/", "/", ".", "..", "./", "../", "*", "**"]

    static func pieces(depth: Int, using generator: inout SeededGenerator) -> [Piece] {
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in
            if depth < 2, Int.random(in: 0..<3, using: &generator) == 0 {
                let count = Int.random(in: 0...3, using: &generator)
                let alternatives = (0..<count).map { _ in
                    Int.random(in: 0..<5, using: &generator) == 0 ? [] : pieces(depth: depth + 1, using: &generator)
                }
                // One empty alternative cannot be written: `{}` is a group with none.
                return .group(alternatives.count == 1 && alternatives[0].isEmpty ? [] : alternatives)
            }
            return .text(texts.randomElement(using: &generator)!)
        }
    }

    /// Every expansion of `pieces`, computed from the tree (not from the text).
    static func expansions(_ pieces: [Piece]) -> [String] {
        var results = [""]
        for piece in pieces {
            switch piece {
            case .text(let text):
                results = results.map { $0 + text }
            case .group(let alternatives):
                let options = alternatives.flatMap(expansions)
                results = results.flatMap { prefix in options.map { prefix + $0 } }
            }
        }
        return results
    }

    /// Every valid path over {a, b, s, x.go} up to four segments.
    static let paths: [String] = {
        var all: [String] = []
        var layer = [""]
        for _ in 1...4 {
            layer = layer.flatMap { prefix in ["a", "b", "s", "x.go"].map { prefix.isEmpty ? $0 : prefix + "/" + $0 } }
            all += layer
        }
        return all
    }()

    @Test(arguments: [[String](), ["s"]])
    func agreesWithExpandingAndNormalisingEachAlternative(base: [String]) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-braces-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let normalizer = EntryNormalizer(root: root, base: base)
        var generator = SeededGenerator(seed: base.isEmpty ? 0xB4ACE5 : 0xB4ACE6)
        var checked = 0
        var refused = 0
        var failures: [String] = []
        while checked < 400 {
            let tree = Self.pieces(depth: 0, using: &generator)
            guard tree.contains(where: { if case .group = $0 { true } else { false } }) else { continue }
            let raw = tree.map(\.rendered).joined()
            let alternatives = Self.expansions(tree)
            guard alternatives.count <= 200 else { continue }
            checked += 1

            // The definition: each alternative normalised on its own.
            var covering: [CompiledEntry] = []
            var invalid = false
            for alternative in alternatives where !alternative.isEmpty {
                do {
                    covering.append(CompiledEntry(try normalizer.normalize(alternative).entry))
                } catch {
                    if error.message.contains("names the repository root") { continue }  // covers nothing
                    invalid = true
                }
            }
            if covering.isEmpty { invalid = true }

            let result = Result { () throws(ScopeError) in try normalizer.normalize(raw).entry }
            switch result {
            case .failure:
                refused += 1
                if !invalid { failures.append("\(raw): refused, but its alternatives \(alternatives) are valid") }
            case .success(let entry):
                if invalid {
                    failures.append("\(raw): accepted as \(entry.text), but an alternative is invalid or none covers a path")
                    continue
                }
                let compiled = CompiledEntry(entry)
                for path in Self.paths where compiled.matches(path) != covering.contains(where: { $0.matches(path) }) {
                    failures.append("\(raw) → \(entry.text): \(path) is \(compiled.matches(path) ? "" : "not ")covered, unlike its alternatives")
                    break
                }
            }
            if failures.count > 5 { break }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(refused > 0 && refused < checked, "the cases should include valid and invalid entries (\(refused) of \(checked) refused)")
    }

    @Test(arguments: [
        ("{src/,lib/}/x.go", "{src/x.go,lib/x.go}"),
        ("src/{a/../b,c}/x.go", "src/{b/x.go,c/x.go}"),
        ("{./a,a}/x", "a/x"),
        ("{src/,lib/}", "{src,lib}/"),
        ("{src/,x.go}", "{src/**,x.go}"),
        ("a/{,b/}c", "a/{,b/}c"),  // its expansions a/c and a/b/c are already normal
        ("src/*.{ts,tsx}", "src/*.{ts,tsx}"),
    ])
    func examples(raw: String, text: String) throws {
        let normalizer = EntryNormalizer(root: "/nonexistent-scopelock-root")
        #expect(try normalizer.normalize(raw).entry.text == text)
    }

    @Test(arguments: ["{}", "a/{}/b", "{}/x", "src/{{},{}}", "{../x,y}", "a/{../../x,y}"])
    func entriesThatCoverNothingOrLeaveTheRootAreInvalid(raw: String) {
        let normalizer = EntryNormalizer(root: "/nonexistent-scopelock-root")
        #expect(throws: ScopeError.self) { try normalizer.normalize(raw) }
    }
}
