import Foundation
import ScopeLockProtocol

/// Where operations act: the lock store, the repository root entries are relative to, and the clock.
/// Every front end (CLI, `serve`, `mcp`) builds one and calls the same operations on it.
public struct Workspace: Sendable {
    public let store: any LockStore
    public let normalizer: EntryNormalizer
    public let now: @Sendable () -> Date

    public init(store: any LockStore, root: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.normalizer = EntryNormalizer(root: root)
        self.now = now
    }

    /// The output directory from `--output-dir`, else `SCOPELOCK_OUTPUT_DIR`, else `fallback` (the current directory).
    public static func outputDirectory(option: String?, environment: [String: String], fallback: String = ".") -> String {
        option ?? environment["SCOPELOCK_OUTPUT_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    /// The root from `--root`, else `SCOPELOCK_ROOT`, else the current directory.
    public static func root(option: String?, environment: [String: String]) -> String {
        option ?? environment["SCOPELOCK_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
    }

    /// A workspace on the lock directory of `outputDirectory`.
    public static func files(outputDirectory: String, root: String) -> Workspace {
        Workspace(store: FileLockStore(outputDirectory: outputDirectory), root: root)
    }

    /// Normalises entries given by a user, collecting the warnings normalisation raises.
    func normalize(_ raw: [String]) throws(ErrorInfo) -> (entries: [ScopeEntry], warnings: [ResultWarning]) {
        guard !raw.isEmpty else { throw ErrorInfo(.invalidInput, "no entries given: name at least one file, directory/ or glob") }
        var entries: [ScopeEntry] = []
        var warnings: [ResultWarning] = []
        for text in raw {
            let normalized: NormalizedEntry
            do { normalized = try normalizer.normalize(text) } catch { throw ErrorInfo(scope: error) }
            if normalized.escapedLiteral {
                warnings.append(ResultWarning(
                    code: "escaped_literal",
                    message: "\(text) names an existing file; recorded as the literal \(normalized.entry.text)"
                ))
            }
            if !entries.contains(normalized.entry) { entries.append(normalized.entry) }
        }
        return (entries, warnings)
    }
}

extension ErrorInfo {
    /// The `invalid_input` error for a bad entry.
    init(scope error: ScopeError) {
        self.init(.invalidInput, error.message, entry: error.entry, position: error.position)
    }
}
