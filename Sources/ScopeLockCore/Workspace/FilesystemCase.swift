#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ScopeLockProtocol

/// Whether a filesystem matches names without regard to case (macOS's default APFS, Windows, a casefolded
/// ext4 folder). scopelock compares paths exactly and does not fold case: on such a filesystem it warns, so
/// that people give paths as they are spelled on disk (docs/interface.md section 1, "Path identity").
enum FilesystemCase {
    /// True when `folder`, or the nearest folder above it whose name has letters, is found again under its name
    /// with the case of its letters swapped, as the same folder. Reads only (two `stat`s).
    static func isInsensitive(at folder: String) -> Bool {
        var current = folder
        while let parent = AbsolutePath.parent(of: current) {
            let name = String(current[current.index(after: current.lastIndex(of: "/")!)...])
            let swapped = String(name.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) })
            if swapped != name {
                var original = stat()
                var other = stat()
                guard stat(current, &original) == 0 else { return false }
                guard stat(AbsolutePath.join(parent, swapped), &other) == 0 else { return false }
                return original.st_dev == other.st_dev && original.st_ino == other.st_ino
            }
            current = parent
        }
        return false
    }

    /// The warning `where` and `init` give when the root is on such a filesystem.
    static func warning(root: String) -> ResultWarning? {
        guard isInsensitive(at: root) else { return nil }
        return ResultWarning(
            code: "case_insensitive_filesystem",
            message: "\(root) is on a filesystem that ignores case: scopelock compares paths exactly, so give paths as they are spelled on disk (src/A.go and src/a.go are one file there, but two paths to scopelock)"
        )
    }
}
