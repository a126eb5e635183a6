import ScopeLockProtocol
import Yams

/// A repository's `.scopelock.yaml`: it marks the root (its folder) and may name the output directory and
/// the store. Every key is optional; an empty file (or one of comments only) keeps every default.
///
/// ```yaml
/// version: 1
/// output_directory: .git/scopelock   # relative to this file's folder
/// store: file                        # or etcd://host:port/prefix
/// ```
public struct ProjectConfiguration: Sendable, Equatable {
    /// The file's name.
    public static let fileName = ".scopelock.yaml"
    /// The largest file that is read.
    static let maximumSize = 64 << 10
    /// The keys a file may hold.
    static let keys = ["version", "output_directory", "store"]

    /// The file's absolute path.
    public let path: String
    /// The folder holding it: the root, unless `--root` or `SCOPELOCK_ROOT` says otherwise.
    public let folder: String
    /// `output_directory`, absolute (resolved against `folder`).
    public let outputDirectory: String?
    /// `store` as written.
    public let store: String?

    /// Reads `folder/.scopelock.yaml`; nil when there is none. A file that is not YAML, holds unknown keys
    /// or wrong values is `invalid_input` naming file, line and column; one that cannot be read is `io_error`.
    public static func load(in folder: String) throws(ErrorInfo) -> ProjectConfiguration? {
        let path = AbsolutePath.join(folder, fileName)
        switch SmallFile.bytes(path, limit: maximumSize) {
        case .failure(.missing):
            return nil
        case .failure(.notRegular):
            throw ErrorInfo(.invalidInput, "\(path) is not a regular file: make it a YAML file or remove it", file: path)
        case .failure(.tooLarge):
            throw ErrorInfo(.invalidInput, "\(path) is larger than \(maximumSize >> 10) KiB", file: path)
        case .failure(.unreadable(let code)):
            throw ErrorInfo(.ioError, "cannot read \(path): \(SystemError.describe(code))", file: path)
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ErrorInfo(.invalidInput, "\(path) is not UTF-8 text", file: path)
            }
            return try parse(text, path: path, folder: folder)
        }
    }

    /// Parses the text of a `.scopelock.yaml` found at `path` in `folder`.
    public static func parse(_ text: String, path: String, folder: String) throws(ErrorInfo) -> ProjectConfiguration {
        let reader = ManifestReader(path: path, folder: folder, explicitRoot: nil)
        try ManifestAliases.check(text, path: path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ManifestLoader.syntaxError(error, path: path)
        } catch {
            throw ErrorInfo(.invalidInput, "\(path): \(error)", file: path)
        }
        guard let node, !node.isTagged(.null) else {
            return ProjectConfiguration(path: path, folder: folder, outputDirectory: nil, store: nil)
        }
        let fields = try reader.fields(node, ".scopelock.yaml", allowed: keys)
        if let version = fields["version"] {
            guard version.isTagged(.int), version.int == 1 else {
                throw reader.fail(version, "version must be 1 (this scopelock reads version 1)")
            }
        }
        var outputDirectory: String?
        if let value = fields["output_directory"] {
            let text = try reader.string(value, "output_directory")
            guard !text.isEmpty, !text.unicodeScalars.contains("\0") else {
                throw reader.fail(value, "output_directory must name a folder, e.g. .git/scopelock")
            }
            if !text.hasPrefix("/"), AbsolutePath.climbsAbove(text, from: folder) {
                throw reader.fail(value, "output_directory \(text.debugDescription) climbs above the filesystem's top (/)")
            }
            outputDirectory = AbsolutePath.resolve(text, against: folder)
        }
        var store: String?
        if let value = fields["store"] {
            let text = try reader.string(value, "store")
            do { _ = try StoreLocation(parsing: text) } catch { throw reader.fail(value, error.message) }
            store = text
        }
        return ProjectConfiguration(path: path, folder: folder, outputDirectory: outputDirectory, store: store)
    }
}
