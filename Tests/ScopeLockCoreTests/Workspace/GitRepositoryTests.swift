import Foundation
import ScopeLockCore
import Testing

/// Finding git by reading the filesystem: a main working tree, a linked worktree's `.git` file and its
/// `commondir`, and `GIT_DIR`.
@Suite struct GitRepositoryTests {
    @Test func aFolderBelowTheTopFindsTheMainWorkingTree() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("repo/.git")
        try scratch.folder("repo/a/b")
        let found = try #require(GitRepository.enclosing(scratch.path + "/repo/a/b", environment: [:]))
        #expect(found.workTree == scratch.path + "/repo")
        #expect(found.gitDirectory == scratch.path + "/repo/.git")
        #expect(found.commonDirectory == scratch.path + "/repo/.git")
    }

    @Test func aLinkedWorktreeHasItsOwnTopAndTheMainCommonDirectory() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("repo/.git/worktrees/feature")
        try scratch.write("repo/.git/worktrees/feature/commondir", "../..\n")
        try scratch.write("feature/.git", "gitdir: \(scratch.path)/repo/.git/worktrees/feature\n")
        try scratch.folder("feature/src")
        let found = try #require(GitRepository.enclosing(scratch.path + "/feature/src", environment: [:]))
        #expect(found.workTree == scratch.path + "/feature")
        #expect(found.gitDirectory == scratch.path + "/repo/.git/worktrees/feature")
        #expect(found.commonDirectory == scratch.path + "/repo/.git")
    }

    @Test func aRelativeGitdirIsTakenFromTheFilesFolder() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("repo/.git/modules/sub")
        try scratch.write("repo/sub/.git", "gitdir: ../.git/modules/sub\n")
        let found = try #require(GitRepository.enclosing(scratch.path + "/repo/sub", environment: [:]))
        #expect(found.workTree == scratch.path + "/repo/sub")
        #expect(found.commonDirectory == scratch.path + "/repo/.git/modules/sub")
    }

    @Test func noGitAnywhereIsNil() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("plain/a")
        // The scratch folder lives in the temporary directory, which is in no repository.
        #expect(GitRepository.enclosing(scratch.path + "/plain/a", environment: [:]) == nil)
    }

    @Test func gitDirAndWorkTreeFromTheEnvironmentWin() throws {
        let scratch = try ScratchFolder()
        try scratch.folder("elsewhere.git")
        try scratch.folder("tree/x")
        let found = try #require(GitRepository.enclosing(
            scratch.path + "/tree/x", environment: ["GIT_DIR": scratch.path + "/elsewhere.git", "GIT_WORK_TREE": "../"]
        ))
        #expect(found.gitDirectory == scratch.path + "/elsewhere.git")
        #expect(found.workTree == scratch.path + "/tree")
    }
}
