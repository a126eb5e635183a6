import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Testing

/// Discovery from a given directory (interface.md section 1): each rule in its place of precedence, and a bad
/// `.scopelock.yaml` named with its line and column.
@Suite struct WorkspaceLocationTests {
    /// A scratch repository `repo/` with `.git/` and a subfolder `repo/backend/pkg`.
    static func repository() throws -> ScratchFolder {
        let scratch = try ScratchFolder()
        try scratch.folder("repo/.git")
        try scratch.folder("repo/backend/pkg")
        return scratch
    }

    @Test func inAGitRepositoryTheTopAndTheCommonDirectoryAreChosenFromAnySubfolder() throws {
        let scratch = try Self.repository()
        for start in ["repo", "repo/backend", "repo/backend/pkg"] {
            let found = try WorkspaceLocation.discover(from: scratch.path + "/" + start, environment: [:])
            #expect(found.root == scratch.path + "/repo")
            #expect(found.rootRule == .gitWorkTree)
            #expect(found.outputDirectory == scratch.path + "/repo/.git/scopelock")
            #expect(found.outputDirectoryRule == .gitCommonDirectory)
            #expect(found.store == "file")
            #expect(found.storeRule == .default)
        }
        let deep = try WorkspaceLocation.discover(from: scratch.path + "/repo/backend/pkg", environment: [:])
        #expect(deep.directoryUnderRoot == ["backend", "pkg"])
    }

    @Test func outsideGitTheCurrentDirectoryAndItsDotScopelockFolder() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("plain")
        let found = try WorkspaceLocation.discover(from: scratch.path + "/plain", environment: [:])
        #expect(found.root == scratch.path + "/plain")
        #expect(found.rootRule == .currentDirectory)
        #expect(found.outputDirectory == scratch.path + "/plain/.scopelock")
        #expect(found.outputDirectoryRule == .rootFolder)
    }

    @Test func theNearestSettingsFileMarksTheRootAndNamesTheOutputDirectory() throws {
        let scratch = try Self.repository()
        try scratch.write("repo/backend/.scopelock.yaml", "version: 1\noutput_directory: ../.locks\nstore: file\n")
        let found = try WorkspaceLocation.discover(from: scratch.path + "/repo/backend/pkg", environment: [:])
        #expect(found.root == scratch.path + "/repo/backend")
        #expect(found.rootRule == .configuration)
        #expect(found.outputDirectory == scratch.path + "/repo/.locks")
        #expect(found.outputDirectoryRule == .configuration)
        #expect(found.storeRule == .configuration)
        #expect(found.configuration?.path == scratch.path + "/repo/backend/.scopelock.yaml")
    }

    @Test func theSettingsSearchStopsAtTheGitTop() throws {
        let scratch = try Self.repository()
        try scratch.write(".scopelock.yaml", "output_directory: somewhere\n")  // above the repository: not read
        let found = try WorkspaceLocation.discover(from: scratch.path + "/repo/backend", environment: [:])
        #expect(found.rootRule == .gitWorkTree)
        #expect(found.outputDirectoryRule == .gitCommonDirectory)
        #expect(found.configuration == nil)
    }

    @Test func optionsBeatTheEnvironmentWhichBeatsTheSettingsFile() throws {
        let scratch = try Self.repository()
        try scratch.write("repo/.scopelock.yaml", "output_directory: from-file\nstore: file\n")
        try scratch.folder("other")
        let start = scratch.path + "/repo/backend"
        let environment = ["SCOPELOCK_OUTPUT_DIR": scratch.path + "/from-env", "SCOPELOCK_ROOT": scratch.path + "/other",
                           "SCOPELOCK_STORE": "etcd://127.0.0.1:2379/x"]
        let fromEnvironment = try WorkspaceLocation.discover(from: start, environment: environment)
        #expect(fromEnvironment.outputDirectory == scratch.path + "/from-env")
        #expect(fromEnvironment.outputDirectoryRule == .environment)
        #expect(fromEnvironment.root == scratch.path + "/other")
        #expect(fromEnvironment.rootRule == .environment)
        #expect(fromEnvironment.storeRule == .environment)

        let fromOptions = try WorkspaceLocation.discover(
            from: start, overrides: WorkspaceOverrides(root: "..", outputDirectory: "out", store: "file"), environment: environment
        )
        #expect(fromOptions.root == scratch.path + "/repo")
        #expect(fromOptions.rootRule == .option)
        #expect(fromOptions.outputDirectory == start + "/out")  // relative to the start directory
        #expect(fromOptions.outputDirectoryRule == .option)
        #expect(fromOptions.store == "file")
        #expect(fromOptions.storeRule == .option)
    }

    @Test(arguments: [
        ("output_directory: [unclosed\n", 2),  // where the parser notices: the end
        ("version: 1\nouput_directory: x\n", 2),
        ("version: 1\n\nstore: ftp://x\n", 3),
        ("output_directory: ../../../../../../../../../../../../../../../../../../../../../../../../x\n", 1),
        ("version: 2\n", 1),
        ("- a list\n", 1),
    ])
    func aBadSettingsFileIsInvalidInputWithFileLineAndColumn(text: String, line: Int) throws {
        let scratch = try Self.repository()
        try scratch.write("repo/.scopelock.yaml", text)
        let error = #expect(throws: ErrorInfo.self) {
            try WorkspaceLocation.discover(from: scratch.path + "/repo/backend", environment: [:])
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.file == scratch.path + "/repo/.scopelock.yaml")
        #expect(error?.line == line)
        #expect(error?.column != nil)
        #expect(error?.message.hasPrefix(scratch.path + "/repo/.scopelock.yaml:\(line):") == true)
    }

    @Test func anEmptyOrCommentOnlySettingsFileKeepsTheDefaults() throws {
        let scratch = try Self.repository()
        try scratch.write("repo/.scopelock.yaml", "# nothing here\n")
        let found = try WorkspaceLocation.discover(from: scratch.path + "/repo/backend", environment: [:])
        #expect(found.rootRule == .configuration)
        #expect(found.outputDirectoryRule == .gitCommonDirectory)
    }

    @Test func aRootThatDoesNotExistIsInvalidInputAndOneThatCannotBeReadIsAnIOError() throws {
        let scratch = try ScratchFolder()
        let missing = #expect(throws: ErrorInfo.self) {
            try WorkspaceLocation.discover(from: scratch.path, overrides: WorkspaceOverrides(root: "nope"), environment: [:])
        }
        #expect(missing?.code == .invalidInput)
        // A root that cannot be read: a link loop (permissions do not stop the superuser).
        try scratch.link("loop", to: "loop")
        let unreadable = #expect(throws: ErrorInfo.self) {
            try WorkspaceLocation.discover(from: scratch.path, overrides: WorkspaceOverrides(root: "loop"), environment: [:])
        }
        #expect(unreadable?.code == .ioError)
    }
}
