import Foundation
import ScopeLockProtocol
import Yams

/// Reads manifests, YAML or JSON (JSON is read as YAML), into a validated `Manifest`. Every error names
/// the file, line and column.
public struct ManifestLoader: Sendable {
    /// The largest manifest file that is read.
    public static let maximumSize = 16 << 20
    /// The most agents a manifest may declare.
    public static let maximumAgents = 20_000

    /// The root given by option or environment; it wins over the manifest's `root`.
    let explicitRoot: String?

    /// The root found for the workspace (interface.md section 1); it applies when neither `explicitRoot` nor
    /// the manifest's `root` is given.
    let defaultRoot: String?

    /// Entries are normalised against `explicitRoot`, else the manifest's `root`, else `defaultRoot`, else the
    /// current directory.
    public init(explicitRoot: String?, defaultRoot: String? = nil) {
        self.explicitRoot = explicitRoot
        self.defaultRoot = defaultRoot
    }

    /// Loads the manifest at `path`.
    public func load(path: String) throws(ErrorInfo) -> Manifest {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ErrorInfo(.invalidInput, "cannot read manifest \(path): \(String(cString: strerror(errno)))", file: path)
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ErrorInfo(.invalidInput, "manifest \(path) is not a regular file", file: path) }
        guard info.st_size <= Self.maximumSize else {
            throw ErrorInfo(.invalidInput, "manifest \(path) is larger than \(Self.maximumSize >> 20) MiB", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ErrorInfo(.invalidInput, "cannot read manifest \(path)", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ErrorInfo(.invalidInput, "manifest \(path) is not UTF-8 text", file: path)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, path: path, folder: folder)
    }

    /// Loads a manifest given as a JSON object (`manifest_inline`); relative paths resolve against `folder`.
    public func load(inline object: JSONValue, folder: String) throws(ErrorInfo) -> Manifest {
        let text: String
        do { text = try JSONCoding.line(object) } catch { throw ErrorInfo(.invalidInput, "manifest_inline cannot be encoded") }
        return try parse(text, path: "<inline>", folder: folder)
    }

    /// Parses manifest text read from `path` (named in errors); relative paths resolve against `folder`.
    public func parse(_ text: String, path: String, folder: String) throws(ErrorInfo) -> Manifest {
        let root: Node
        try ManifestAliases.check(text, path: path)
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ErrorInfo(.invalidInput, "\(path): the manifest is empty", file: path) }
            root = node
        } catch let error as ErrorInfo {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, path: path)
        } catch {
            throw ErrorInfo(.invalidInput, "\(path): \(error)", file: path)
        }
        return try ManifestReader(path: path, folder: folder, explicitRoot: explicitRoot, defaultRoot: defaultRoot).manifest(root)
    }

    static func syntaxError(_ error: YamlError, path: String) -> ErrorInfo {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            var info = ErrorInfo(.invalidInput, "\(path):\(mark.line):\(mark.column): \(problem)", file: path)
            info.line = mark.line
            info.column = mark.column
            return info
        default:
            return ErrorInfo(.invalidInput, "\(path): \(error)", file: path)
        }
    }
}
