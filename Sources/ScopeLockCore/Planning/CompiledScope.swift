/// One agent's scope with every entry compiled once, shared by every step of `plan`: conflict detection, the
/// repository walk, the hotspot warnings and the check of the strategy's answer.
struct CompiledScope: Sendable {
    /// The agent's name.
    let name: String
    /// The file and glob entries, in manifest order.
    let files: [CompiledEntry]
    /// The directory entries, in manifest order.
    let directories: [CompiledEntry]
    /// The agent's excludes, compiled.
    let excludes: ExcludeSet

    /// Compiles the entries `agent` was read with.
    init(_ agent: ManifestAgent) {
        name = agent.name
        files = agent.fileEntries.map(CompiledEntry.init)
        directories = agent.directoryEntries.map(CompiledEntry.init)
        // Checked as the manifest was read: they empty no entry and are not too complex.
        excludes = (try? ExcludeSet(agent.excludeEntries)) ?? .none
    }

    /// Every entry: files and globs, then directories, as the agent's lock lists them.
    var entries: [CompiledEntry] { files + directories }

    /// The scope as one matcher: entries less excludes.
    var matcher: ScopeMatcher { ScopeMatcher(entries: entries, excludes: excludes) }
}
