import Foundation
import ScopeLockCore
import Testing

/// Path identity and paths as git users expect (interface.md section 1): entries relative to a folder under
/// the root, absolute paths, and symbolic links inside the root resolved to the real path.
@Suite struct PathIdentityTests {
    /// `real/pkg/client.go`, with `alias -> real/pkg`, `up -> ..` (leaves the root), `self -> .` and a link loop.
    static func root() throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.write("root/real/pkg/client.go", "x")
        try scratch.write("outside/secret.go", "x")
        try scratch.link("root/alias", to: "real/pkg")
        try scratch.link("root/absolute", to: scratch.path + "/root/real")
        try scratch.link("root/up", to: "..")
        try scratch.link("root/file.go", to: "real/pkg/client.go")
        try scratch.link("root/loop", to: "loop")
        return scratch
    }

    @Test(arguments: [
        ("alias/client.go", "real/pkg/client.go", "alias"),
        ("alias/", "real/pkg/", "alias"),
        ("alias", "real/pkg/", "alias"),
        ("alias/*_test.go", "real/pkg/*_test.go", "alias"),
        ("alias/new/**", "real/pkg/new/**", "alias"),
        ("absolute/pkg/client.go", "real/pkg/client.go", "absolute"),
        ("file.go", "real/pkg/client.go", "file.go"),
        ("./alias//client.go", "real/pkg/client.go", "alias"),
    ])
    func aLinkInsideTheRootIsRecordedAsTheRealPath(raw: String, text: String, link: String) throws {
        let scratch = try Self.root()
        let normalized = try EntryNormalizer(root: scratch.path + "/root").normalize(raw)
        #expect(normalized.entry.text == text)
        #expect(normalized.resolvedLink == link)
    }

    @Test(arguments: ["up/outside/secret.go", "up/", "up/**/*.go", "loop/x"])
    func aLinkLeavingTheRootOrLoopingIsInvalid(raw: String) throws {
        let scratch = try Self.root()
        #expect(throws: ScopeError.self) { try EntryNormalizer(root: scratch.path + "/root").normalize(raw) }
        #expect(throws: ScopeError.self) { try EntryNormalizer(root: scratch.path + "/root").normalizePath(raw) }
    }

    @Test func pathsWithoutLinksAreUnchangedAndUnwarned() throws {
        let scratch = try Self.root()
        let normalizer = EntryNormalizer(root: scratch.path + "/root")
        for raw in ["real/pkg/client.go", "real/pkg/", "real/*/x", "missing/a/b.go", "*/client.go"] {
            let normalized = try normalizer.normalize(raw)
            #expect(normalized.resolvedLink == nil, "\(raw)")
        }
        // A wildcard segment that matches a link is not resolved: it covers the link's own name.
        #expect(try normalizer.normalize("*/client.go").entry.text == "*/client.go")
    }

    @Test(arguments: [
        ("client.go", "real/pkg/client.go"),
        ("../pkg/client.go", "real/pkg/client.go"),
        ("../../README.md", "README.md"),
        (".", "real/pkg/"),
        ("*.go", "real/pkg/*.go"),
        ("{a,b}/x.go", "real/pkg/{a,b}/x.go"),
    ])
    func relativeEntriesStartFromTheBaseFolder(raw: String, text: String) throws {
        let scratch = try Self.root()
        let normalizer = EntryNormalizer(root: scratch.path + "/root", base: ["real", "pkg"])
        #expect(try normalizer.normalize(raw).entry.text == text)
    }

    @Test func fromTheBaseDotDotMayNotLeaveTheRootButAbsolutePathsUnderItAreAccepted() throws {
        let scratch = try Self.root()
        let normalizer = EntryNormalizer(root: scratch.path + "/root", base: ["real"])
        #expect(throws: ScopeError.self) { try normalizer.normalize("../../x.go") }
        #expect(try normalizer.normalize(scratch.path + "/root/real/pkg/client.go").entry.text == "real/pkg/client.go")
        #expect(try normalizer.normalizePath(scratch.path + "/root/alias/client.go").path == "real/pkg/client.go")
        #expect(try normalizer.normalizePath("pkg/client.go").path == "real/pkg/client.go")
        #expect(throws: ScopeError.self) { try normalizer.normalizePath(scratch.path + "/outside/secret.go") }
    }

    @Test func anAbsolutePathThroughALinkToTheRootIsAccepted() throws {
        let scratch = try Self.root()
        try scratch.link("door", to: scratch.path + "/root")
        let normalizer = EntryNormalizer(root: scratch.path + "/root")
        #expect(try normalizer.normalize(scratch.path + "/door/real/pkg/client.go").entry.text == "real/pkg/client.go")
    }
}
