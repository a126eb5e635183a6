extension ScopeEntry {
    /// The exact file entry naming the repository path `path` (relative to root), pattern characters escaped;
    /// nil when no entry can name it.
    static func repositoryFile(_ path: String) -> ScopeEntry? {
        try? ScopeEntry(parsing: path.map { "*?[]{}\\".contains($0) ? "\\\($0)" : String($0) }.joined())
    }
}
