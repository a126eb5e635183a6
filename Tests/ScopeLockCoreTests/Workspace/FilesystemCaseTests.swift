import Foundation
import ScopeLockCore
import Testing

/// `where` warns when the root's filesystem ignores case. A case-insensitive filesystem is stood in for by a
/// link whose name is the root's with its case swapped: the root is then found again under that name.
@Suite struct FilesystemCaseTests {
    @Test func aCaseSensitiveRootGivesNoWarning() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("Repo")
        let found = Workspace(outputDirectory: nil, root: nil, environment: [:], directory: scratch.path + "/Repo").where()
        #expect(found.ok)
        #expect(found.warnings.isEmpty)
    }

    @Test func aRootFoundAgainUnderItsSwappedCaseNameIsWarnedAbout() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("Repo")
        try scratch.link("rEPO", to: "Repo")
        let found = Workspace(outputDirectory: nil, root: nil, environment: [:], directory: scratch.path + "/Repo").where()
        #expect(found.warnings.map(\.code) == ["case_insensitive_filesystem"])
    }
}
