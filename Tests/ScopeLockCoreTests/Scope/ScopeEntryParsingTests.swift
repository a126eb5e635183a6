import ScopeLockCore
import Testing

@Suite("ScopeEntry parsing")
struct ScopeEntryParsingTests {
    @Test("lexical normalisation", arguments: [
        ("./a//b/./c", "a/b/c", ScopeEntry.Kind.file),
        ("a/../b", "b", .file),
        ("a/b/../../c/", "c/", .directory),
        ("././src/", "src/", .directory),
        ("src//", "src/", .directory),
        ("src/.", "src/", .directory),
        ("src/x/..", "src/", .directory),
        ("src/*.py", "src/*.py", .glob),
        ("./src/**/*.go", "src/**/*.go", .glob),
        ("a\\/b", "a/b", .file),
        ("foo\\*.txt", "foo\\*.txt", .file),
        ("a}b]c,d", "a}b]c,d", .file),
        ("{a,b/../c}/x", "{a,b/../c}/x", .glob),
        ("src/{a,b}/", "src/{a,b}/", .directory),
        ("[ab]", "[ab]", .glob),
    ])
    func normalises(raw: String, text: String, kind: ScopeEntry.Kind) throws {
        let entry = try ScopeEntry(parsing: raw)
        #expect(entry.text == text)
        #expect(entry.kind == kind)
        #expect(entry.description == text)
        #expect(try ScopeEntry(parsing: entry.text) == entry)
    }

    @Test("asDirectory forces a directory entry")
    func forcedDirectory() throws {
        #expect(try ScopeEntry(parsing: "src", asDirectory: true).text == "src/")
        #expect(try ScopeEntry(parsing: "src/", asDirectory: true).text == "src/")
        let globDirectory = try ScopeEntry(parsing: "pkg/*", asDirectory: true)
        #expect(globDirectory.kind == .directory)
        #expect(globDirectory.text == "pkg/*/")
    }

    @Test("equality is by kind and exact text")
    func equality() throws {
        #expect(try ScopeEntry(parsing: "./a//b") == ScopeEntry(parsing: "a/b"))
        #expect(try ScopeEntry(parsing: "a") != ScopeEntry(parsing: "a", asDirectory: true))
        #expect(try ScopeEntry(parsing: "caf\u{E9}") != ScopeEntry(parsing: "cafe\u{301}"))
        let set: Set<ScopeEntry> = [try ScopeEntry(parsing: "x/y"), try ScopeEntry(parsing: "./x/y")]
        #expect(set.count == 1)
        #expect(ScopeEntry.Kind(rawValue: "directory") == .directory)
    }

    @Test("invalid entries are invalid_input with the entry and a position", arguments: [
        ("src/[ab", 4, "unbalanced \"[\""),
        ("src/{a,b", 4, "unbalanced \"{\""),
        ("{a,{b,c}", 0, "unbalanced \"{\""),
        ("{a,[b}", 3, "unbalanced \"[\""),
        ("[]", 0, "unbalanced \"[\""),
        ("[!]", 0, "unbalanced \"[\""),
        ("[[:alpha:]]", 1, "POSIX"),
        ("x[a[=b=]]", 3, "POSIX"),
        ("[z-a]", 1, "empty"),
        ("a\\", 1, "escapes nothing"),
        ("a\u{0}b", 1, "NUL"),
        ("a\nb", 1, "line break"),
        ("a\r", 1, "line break"),
        ("../x", 0, "outside the repository root"),
        ("a/../../x", 5, "outside the repository root"),
        ("/", 0, "\"/\" alone"),
        ("/etc/passwd", 0, "absolute"),
    ] as [(String, Int, String)])
    func rejectsWithPosition(raw: String, position: Int, fragment: String) {
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: raw) }
        #expect(error?.code == "invalid_input")
        #expect(error?.entry == raw)
        #expect(error?.position == position)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
        #expect(error?.message.hasPrefix("entry \"") == true)
        #expect(error?.description == error?.message)
    }

    @Test("the message names the entry and the position")
    func messageShape() {
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: "src/[ab") }
        #expect(error?.message.hasPrefix("entry \"src/[ab\": unbalanced \"[\" at position 4") == true)
        let control = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: "a\nb") }
        #expect(control?.message.contains("\"a\\nb\"") == true)
    }

    @Test("entries without a path are invalid", arguments: ["", ".", "./", "a/..", "./a/../"])
    func rejectsRoot(raw: String) {
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: raw) }
        #expect(error?.code == "invalid_input")
        #expect(error?.entry == raw)
    }

    @Test("a 10,000-character glob is a clear error, quickly")
    func longEntry() {
        let raw = String(repeating: "*a", count: 5_000)
        let started = ContinuousClock.now
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: raw) }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error?.message.contains("4096") == true)
        #expect(error?.message.count ?? 10_000 < 400)
        #expect(throws: Never.self) { try ScopeEntry(parsing: String(repeating: "a", count: 4096)) }
        #expect(throws: ScopeError.self) { try ScopeEntry(parsing: String(repeating: "a", count: 4097)) }
        #expect(throws: ScopeError.self) { try ScopeEntry(parsing: String(repeating: "\u{E9}", count: 2049)) }
    }

    @Test("braces nested 5,000 deep are a clear error, quickly")
    func deepBraces() {
        let raw = String(repeating: "{", count: 5_000) + "a" + String(repeating: "}", count: 5_000)
        let started = ContinuousClock.now
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: raw) }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error?.code == "invalid_input")
        let withinLength = String(repeating: "{", count: 2_000) + "a" + String(repeating: "}", count: 2_000)
        let depthError = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: withinLength) }
        #expect(depthError?.position == 64)
        #expect(depthError?.message.contains("nests braces more than 64 deep") == true)
    }

    @Test("brace depth is limited to 64")
    func braceDepthLimit() throws {
        let deepest = String(repeating: "{", count: 64) + "a" + String(repeating: "}", count: 64)
        #expect(CompiledEntry(try ScopeEntry(parsing: deepest)).matches("a"))
        let tooDeep = String(repeating: "{x,", count: 65) + "a" + String(repeating: "}", count: 65)
        let error = #expect(throws: ScopeError.self) { try ScopeEntry(parsing: tooDeep) }
        #expect(error?.position == 64 * 3)
        #expect(error?.message.contains("64") == true)
    }

    @Test("a maximal entry compiles and overlaps quickly")
    func maximalEntry() throws {
        let deep = try ScopeEntry(parsing: String(repeating: "a/", count: 2_047) + "*")
        let started = ContinuousClock.now
        let witness = deep.overlapWitness(with: try ScopeEntry(parsing: "**/*"))
        #expect(witness == String(repeating: "a/", count: 2_047) + "a")
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
