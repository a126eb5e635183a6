/// What a user gave explicitly for the workspace (command-line options, or a request's params); nil where
/// nothing was given. Relative paths are taken from the directory discovery starts in.
public struct WorkspaceOverrides: Sendable, Equatable {
    /// `--root DIR`.
    public var root: String?
    /// `--output-dir DIR` / `-o`.
    public var outputDirectory: String?
    /// `--store URL`.
    public var store: String?

    public init(root: String? = nil, outputDirectory: String? = nil, store: String? = nil) {
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        self.root = nonEmpty(root)
        self.outputDirectory = nonEmpty(outputDirectory)
        self.store = nonEmpty(store)
    }
}
