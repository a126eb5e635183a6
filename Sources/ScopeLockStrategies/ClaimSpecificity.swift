import ScopeLockCore

/// How closely an entry names a file: an exact file entry beats a glob, and a glob beats a directory.
enum ClaimSpecificity: Int, Comparable, Sendable {
    case exactFile, glob, directory

    /// The specificity of an entry of `kind`.
    init(_ kind: ScopeEntry.Kind) {
        switch kind {
        case .file: self = .exactFile
        case .glob: self = .glob
        case .directory: self = .directory
        }
    }

    static func < (left: ClaimSpecificity, right: ClaimSpecificity) -> Bool { left.rawValue < right.rawValue }

    /// Words for reasons: "exact file entry", "glob", "directory".
    var phrase: String {
        switch self {
        case .exactFile: "exact file entry"
        case .glob: "glob"
        case .directory: "directory"
        }
    }
}
