import Foundation
import ScopeLockCore
import Testing

/// A temporary repository root with a few files, removed when the test ends.
final class TemporaryRoot {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("scopelock-normalizer-\(UUID().uuidString)").path
        for directory in ["src/lib", "app/[id]", "docs"] {
            try FileManager.default.createDirectory(atPath: path + "/" + directory, withIntermediateDirectories: true)
        }
        for file in ["src/main.swift", "app/[id]/page.tsx", "docs/a*b.md"] {
            try Data().write(to: URL(fileURLWithPath: path + "/" + file))
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite("EntryNormalizer")
struct EntryNormalizerTests {
    @Test("relative entries are normalised lexically and against the filesystem", arguments: [
        ("./src//main.swift", "src/main.swift", ScopeEntry.Kind.file),
        ("src/lib/../main.swift", "src/main.swift", .file),
        ("src", "src/", .directory),
        ("src/lib", "src/lib/", .directory),
        ("./src/lib/", "src/lib/", .directory),
        ("src/new.swift", "src/new.swift", .file),
        ("src/*.swift", "src/*.swift", .glob),
        ("app/[ab]/x.tsx", "app/[ab]/x.tsx", .glob),
    ])
    func relative(raw: String, text: String, kind: ScopeEntry.Kind) throws {
        let root = try TemporaryRoot()
        let normalized = try EntryNormalizer(root: root.path).normalize(raw)
        #expect(normalized.entry.text == text)
        #expect(normalized.entry.kind == kind)
        #expect(!normalized.escapedLiteral)
    }

    @Test("absolute paths under the root become relative")
    func absoluteUnderRoot() throws {
        let root = try TemporaryRoot()
        let normalizer = EntryNormalizer(root: root.path)
        #expect(try normalizer.normalize(root.path + "/src/main.swift").entry.text == "src/main.swift")
        #expect(try normalizer.normalize(root.path + "//src/./lib").entry.text == "src/lib/")
        #expect(try normalizer.normalize(root.path + "/src/*.swift").entry.text == "src/*.swift")
        #expect(try normalizer.normalize(root.path + "/src/../docs/").entry.text == "docs/")
    }

    @Test("absolute paths through a symbolic link to the root become relative")
    func absoluteThroughLink() throws {
        let root = try TemporaryRoot()
        let link = root.path + "-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root.path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let normalizer = EntryNormalizer(root: link)
        #expect(normalizer.root == link)
        #expect(try normalizer.normalize(link + "/src/main.swift").entry.text == "src/main.swift")
        #expect(try normalizer.normalize(root.path + "/src/main.swift").entry.text == "src/main.swift")
    }

    @Test("paths outside the root are invalid input", arguments: [
        "/etc/passwd", "../outside", "src/../../x", "/", "ROOT", "ROOT/..", "ROOT/../x", "ROOT-sibling/x",
    ])
    func outside(raw: String) throws {
        let root = try TemporaryRoot()
        let entry = raw.replacingOccurrences(of: "ROOT", with: root.path)
        let error = #expect(throws: ScopeError.self) { try EntryNormalizer(root: root.path).normalize(entry) }
        #expect(error?.code == "invalid_input")
        #expect(error?.entry == entry)
    }

    @Test("an existing file whose name holds glob metacharacters becomes that literal file, escaped")
    func escapedLiteralFile() throws {
        let root = try TemporaryRoot()
        let normalizer = EntryNormalizer(root: root.path)
        let normalized = try normalizer.normalize("app/[id]/page.tsx")
        #expect(normalized.escapedLiteral)
        #expect(normalized.entry.kind == .file)
        #expect(normalized.entry.text == "app/\\[id]/page.tsx")
        let compiled = CompiledEntry(normalized.entry)
        #expect(compiled.matches("app/[id]/page.tsx"))
        #expect(!compiled.matches("app/x/page.tsx"))
        #expect(!compiled.matches("app/i/page.tsx"))
        #expect(try ScopeEntry(parsing: normalized.entry.text) == normalized.entry)

        let absolute = try normalizer.normalize(root.path + "/./app/[id]/page.tsx")
        #expect(absolute == normalized)
        let star = try normalizer.normalize("docs/a*b.md")
        #expect(star.escapedLiteral && star.entry.text == "docs/a\\*b.md")
        #expect(!CompiledEntry(star.entry).matches("docs/axb.md"))
    }

    @Test("an existing directory whose name holds glob metacharacters becomes that literal directory")
    func escapedLiteralDirectory() throws {
        let root = try TemporaryRoot()
        let normalized = try EntryNormalizer(root: root.path).normalize("app/[id]")
        #expect(normalized.escapedLiteral)
        #expect(normalized.entry.kind == .directory)
        #expect(normalized.entry.text == "app/\\[id]/")
        #expect(CompiledEntry(normalized.entry).matches("app/[id]/page.tsx"))
        #expect(!CompiledEntry(normalized.entry).matches("app/i/page.tsx"))
    }

    @Test("syntax errors keep their position in the raw entry")
    func syntaxError() throws {
        let root = try TemporaryRoot()
        let error = #expect(throws: ScopeError.self) { try EntryNormalizer(root: root.path).normalize("./src/[ab") }
        #expect(error?.position == 6)
        #expect(error?.entry == "./src/[ab")
    }

    @Test("the root is stored absolute and lexically normalised")
    func rootForm() {
        #expect(EntryNormalizer(root: "/a/./b/../c//").root == "/a/c")
        #expect(EntryNormalizer(root: "/").root == "/")
        let relative = EntryNormalizer(root: ".").root
        #expect(relative.hasPrefix("/"))
        #expect(relative == EntryNormalizer(root: FileManager.default.currentDirectoryPath).root)
    }
}
