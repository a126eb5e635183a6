#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The git repository a directory lies in, found by reading the filesystem as git does, without running
/// `git`: the nearest `.git` at or above the directory (a folder, or a linked worktree's or submodule's
/// `.git` file naming its git directory), and that git directory's `commondir`.
///
/// `GIT_DIR` and `GIT_WORK_TREE` are honoured as git honours them; `core.worktree` and
/// `GIT_CEILING_DIRECTORIES` are not read.
public struct GitRepository: Sendable, Equatable {
    /// The top of the working tree: a linked worktree's own top, not the main one's.
    public let workTree: String
    /// This working tree's git directory (`.git`, or `.git/worktrees/NAME` for a linked worktree).
    public let gitDirectory: String
    /// The directory shared by every worktree of the repository (the main `.git`).
    public let commonDirectory: String

    /// The repository holding `directory` (absolute, without symbolic links), or nil when there is none.
    /// `environment` supplies `GIT_DIR` and `GIT_WORK_TREE`.
    public static func enclosing(_ directory: String, environment: [String: String]) -> GitRepository? {
        if let gitDir = environment["GIT_DIR"], !gitDir.isEmpty {
            let gitDirectory = AbsolutePath.resolve(gitDir, against: directory)
            let workTree = environment["GIT_WORK_TREE"].flatMap { $0.isEmpty ? nil : AbsolutePath.resolve($0, against: directory) }
            return GitRepository(
                workTree: workTree ?? directory, gitDirectory: gitDirectory, commonDirectory: commonDirectory(of: gitDirectory)
            )
        }
        var current = directory
        while true {
            if let found = atTop(current) { return found }
            guard let parent = AbsolutePath.parent(of: current) else { return nil }
            current = parent
        }
    }

    /// The repository whose working tree's top is exactly `folder`, when `folder/.git` is one.
    public static func atTop(_ folder: String) -> GitRepository? {
        let dotGit = AbsolutePath.join(folder, ".git")
        var info = stat()
        guard lstat(dotGit, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            return GitRepository(workTree: folder, gitDirectory: dotGit, commonDirectory: commonDirectory(of: dotGit))
        case S_IFREG:
            // A linked worktree or a submodule: "gitdir: PATH", PATH relative to the file's folder.
            guard let text = SmallFile.read(dotGit, limit: 4096), text.hasPrefix("gitdir:") else { return nil }
            let target = text.dropFirst("gitdir:".count).trimmingCharacters(in: " \t\r\n")
            guard !target.isEmpty else { return nil }
            let gitDirectory = AbsolutePath.resolve(target, against: folder)
            return GitRepository(workTree: folder, gitDirectory: gitDirectory, commonDirectory: commonDirectory(of: gitDirectory))
        default:
            return nil
        }
    }

    /// The git directory's `commondir` (relative to it), else the git directory itself.
    static func commonDirectory(of gitDirectory: String) -> String {
        guard let text = SmallFile.read(AbsolutePath.join(gitDirectory, "commondir"), limit: 4096) else { return gitDirectory }
        let target = text.trimmingCharacters(in: " \t\r\n")
        return target.isEmpty ? gitDirectory : AbsolutePath.resolve(target, against: gitDirectory)
    }
}

extension Substring {
    /// The text without leading and trailing scalars from `set`.
    func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, set.unicodeScalars.contains(scalars[start]) { start = scalars.index(after: start) }
        while end > start, set.unicodeScalars.contains(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

extension String {
    /// The text without leading and trailing scalars from `set`.
    func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}
