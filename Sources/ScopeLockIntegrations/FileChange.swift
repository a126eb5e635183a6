import Foundation
import ScopeLockProtocol

/// One file an installer writes or removes: its content before and after (nil: absent).
public struct FileChange: Sendable, Equatable {
    public let path: String
    public let before: String?
    public let after: String?
    /// Written with the executable bits (git hooks).
    public let executable: Bool

    public init(path: String, before: String?, after: String?, executable: Bool = false) {
        self.path = path
        self.before = before
        self.after = after
        self.executable = executable
    }

    /// `create`, `update`, `delete` or `unchanged`.
    public var action: String {
        switch (before, after) {
        case (nil, nil): "unchanged"
        case (nil, _): "create"
        case (_, nil): "delete"
        case (let old?, let new?): old == new ? "unchanged" : "update"
        }
    }

    /// The current content of `path`, nil when there is no such file; an unreadable file is `io_error`.
    static func current(_ path: String) throws(ErrorInfo) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ErrorInfo(.ioError, "cannot read \(path): check its permissions; nothing was changed")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ErrorInfo(.invalidInput, "\(path) is not UTF-8 text; scopelock will not rewrite it, nothing was changed")
        }
        return text
    }

    /// Makes every change, or none: each new content goes to a temporary file beside its target first, and only
    /// when all are written are they renamed into place (a folder that cannot be written fails before any rename).
    public static func apply(_ changes: [FileChange]) throws(ErrorInfo) {
        var staged: [(temporary: String, change: FileChange)] = []
        func discard() { for item in staged { unlink(item.temporary) } }
        for change in changes where change.action == "create" || change.action == "update" {
            let folder = (change.path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                discard()
                throw ErrorInfo(.ioError, "cannot create \(folder): \(Self.reason(error)); nothing was changed")
            }
            let temporary = folder + "/.scopelock-install-\(getpid())-" + (change.path as NSString).lastPathComponent
            let mode: mode_t = change.executable ? 0o755 : (Self.mode(of: change.path) ?? 0o644)
            guard FileManager.default.createFile(atPath: temporary, contents: Data(change.after!.utf8), attributes: [.posixPermissions: Int(mode)]) else {
                discard()
                throw ErrorInfo(.ioError, "cannot write in \(folder) (\(String(cString: strerror(errno)))): make it writable and run again; nothing was changed")
            }
            staged.append((temporary, change))
        }
        for change in changes where change.action == "delete" {
            guard access((change.path as NSString).deletingLastPathComponent, W_OK) == 0 else {
                discard()
                throw ErrorInfo(.ioError, "cannot remove \(change.path): its folder is not writable; nothing was changed")
            }
        }
        for item in staged where rename(item.temporary, item.change.path) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw ErrorInfo(.ioError, "cannot replace \(item.change.path): \(reason)")
        }
        for change in changes where change.action == "delete" { unlink(change.path) }
    }

    private static func mode(of path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
