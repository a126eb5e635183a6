import Foundation
import ScopeLockProtocol

/// The paths a change touches, relative to the root: read from git (`--staged`, `--since REV`) or given.
enum ChangedPaths {
    /// The paths staged for the next commit (`git diff --cached`).
    static func staged(root: String) async throws(ErrorInfo) -> [String] {
        try await fromGit(["--cached"], root: root)
    }

    /// The paths changed in the work tree since `revision` (`git diff REV`).
    static func since(_ revision: String, root: String) async throws(ErrorInfo) -> [String] {
        guard !revision.isEmpty, !revision.hasPrefix("-") else {
            throw ErrorInfo(.invalidInput, "invalid revision \(revision.debugDescription) for --since: name a commit, e.g. HEAD~1 or main")
        }
        return try await fromGit([revision, "--"], root: root)
    }

    /// `git diff --raw -M` with `selection`, run in `root`, as root-relative paths. A rename counts both its
    /// names. A submodule (gitlink) whose commit changed comes back as a folder, `vendor/lib/`: the change
    /// touches everything beneath it. Paths outside the root come back as `../` paths, which no lock covers.
    private static func fromGit(_ selection: [String], root: String) async throws(ErrorInfo) -> [String] {
        let prefix = String(decoding: try await Git.run(["rev-parse", "--show-prefix"], in: root), as: UTF8.self)
            .trimmingCharacters(in: .newlines)
        let output = try await Git.run(
            ["diff", "--raw", "-M", "-z", "--no-relative", "--no-ext-diff", "--ignore-submodules=none", "--no-abbrev"] + selection,
            in: root
        )
        var paths: [String] = []
        for path in parseRaw(output) {
            let relative = relativeToRoot(path, rootPrefix: prefix)
            if !paths.contains(relative) { paths.append(relative) }
        }
        return paths
    }

    /// The paths of `git diff --raw -z` output: `:OLDMODE NEWMODE OLDSHA NEWSHA STATUS\0PATH\0`, or with two paths
    /// for a rename or copy (a rename counts both names, a copy only its new one). A gitlink (mode 160000) on
    /// either side is a submodule: its path comes back with a trailing `/`.
    static func parseRaw(_ output: [UInt8]) -> [String] {
        let fields = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var paths: [String] = []
        var index = 0
        while index + 1 < fields.count {
            let meta = fields[index].split(separator: " ")
            guard fields[index].hasPrefix(":"), meta.count >= 5, let status = meta.last?.first else { break }
            let isGitlink = meta[0] == ":160000" || meta[1] == "160000"
            let suffix = isGitlink ? "/" : ""
            switch status {
            case "R":
                guard index + 2 < fields.count else { return paths }
                paths += [fields[index + 1] + suffix, fields[index + 2] + suffix]
                index += 3
            case "C":
                guard index + 2 < fields.count else { return paths }
                paths.append(fields[index + 2] + suffix)
                index += 3
            default:
                paths.append(fields[index + 1] + suffix)
                index += 2
            }
        }
        return paths
    }

    /// The paths of `git diff --name-status -z` output: `STATUS\0PATH\0`, or `R<score>\0OLD\0NEW\0` for a rename
    /// (both names count). A copy's source is unchanged, so only its new name counts.
    static func parseNameStatus(_ output: [UInt8]) -> [String] {
        let fields = output.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var paths: [String] = []
        var index = 0
        while index + 1 < fields.count {
            let status = fields[index]
            guard !status.isEmpty else { break }
            switch status.first {
            case "R":
                guard index + 2 < fields.count else { return paths }
                paths += [fields[index + 1], fields[index + 2]]
                index += 3
            case "C":
                guard index + 2 < fields.count else { return paths }
                paths.append(fields[index + 2])
                index += 3
            default:
                paths.append(fields[index + 1])
                index += 2
            }
        }
        return paths
    }

    /// A path relative to the repository's top level, made relative to the root, which is `rootPrefix`
    /// (`git rev-parse --show-prefix`, e.g. `sub/dir/`) below the top level.
    static func relativeToRoot(_ path: String, rootPrefix: String) -> String {
        let rootSegments = rootPrefix.split(separator: "/")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var common = 0
        while common < rootSegments.count, common < segments.count - 1, rootSegments[common] == segments[common] { common += 1 }
        let ups = Array(repeating: "..", count: rootSegments.count - common)
        return (ups + segments[common...].map(String.init)).joined(separator: "/")
    }
}
