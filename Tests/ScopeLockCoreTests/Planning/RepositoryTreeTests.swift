import Foundation
@testable import ScopeLockCore
import Testing

@Suite struct RepositoryTreeTests {
    /// A scratch repository holding `files`.
    static func repository(_ files: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-tree-\(UUID().uuidString)").path
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        }
        return root
    }

    @Test func theFilesEveryKindOfEntryCoversAreFound() throws {
        let root = try Self.repository([
            "src/a.go", "src/a_test.go", "src/deep/b_test.go", "docs/x.md", "web/[id]/page.tsx", "web/index.ts", "other/z.go",
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entries = try [
            ScopeEntry(parsing: "src/**/*_test.go"), ScopeEntry(parsing: "docs/", asDirectory: true),
            ScopeEntry(parsing: "web/\\[id\\]/page.tsx"), ScopeEntry(parsing: "missing/file.go"),
        ].map(CompiledEntry.init)
        let found = RepositoryTree.files(coveredBy: entries, root: root)
        #expect(found.files == ["docs/x.md", "src/a_test.go", "src/deep/b_test.go", "web/[id]/page.tsx"])
        #expect(!found.truncated)
    }
}
