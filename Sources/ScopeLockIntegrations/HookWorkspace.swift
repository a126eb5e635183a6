import Foundation
import ScopeLockCore

/// The workspace a hook acts in, found from the directory its tool reports (`cwd`), as any command run there
/// would find it, and the root-relative form of the paths the tool names.
struct HookWorkspace {
    let root: String
    let workspace: Workspace

    init(cwd: String, environment: [String: String]) {
        // The same discovery as every command (SCOPELOCK_ROOT, .scopelock.yaml, the git top; SCOPELOCK_OUTPUT_DIR,
        // <git common dir>/scopelock, ...), started from the directory the tool reports.
        workspace = Workspace(outputDirectory: nil, root: nil, environment: environment, directory: cwd)
        root = workspace.location.root
    }

    /// `path` (absolute) relative to the root, or nil when it lies outside the root.
    func relative(_ path: String) -> String? {
        let standard = (path as NSString).standardizingPath
        if let inside = Self.suffix(standard, under: root) { return inside }
        // The tool may name the file through a symbolic link to the root, or the root through one.
        return Self.suffix(Self.real(standard), under: root)
    }

    /// `path` as a scope entry that names exactly that file, whatever characters it holds.
    static func literal(_ path: String) -> String {
        var escaped = ""
        for character in path {
            if "\\*?[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private static func suffix(_ path: String, under folder: String) -> String? {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
        return String(path.dropFirst(prefix.count))
    }

    /// The path with symbolic links resolved, as far as it exists (a file about to be written does not).
    static func real(_ path: String) -> String {
        var missing: [String] = []
        var existing = path
        while !existing.isEmpty, existing != "/" {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                return ([String(cString: resolved)] + missing.reversed()).joined(separator: "/").replacingOccurrences(of: "//", with: "/")
            }
            missing.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return path
    }
}
