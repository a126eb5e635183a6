import ScopeLockProtocol

/// A `*.lock` file as found in the locks directory: a readable record, or an invalid one with the reason.
public struct StoredRecord: Sendable {
    /// The agent named by the file name (`<agent>.lock`).
    public let agent: String
    /// The file's path, for messages.
    public let path: String
    public let content: Content
    /// The first literal segment of each entry, or nil when some entry starts with a pattern (or the record
    /// is invalid): a request whose entries start elsewhere cannot meet this record.
    let firstSegments: Set<Substring>?
    /// The record's excludes, compiled (``ExcludeSet/none`` for an invalid record or one without excludes).
    public let excludes: ExcludeSet

    public enum Content: Sendable {
        case valid(LockRecord, entries: [ScopeEntry])
        case invalid(reason: String)
    }

    public init(agent: String, path: String, content: Content) {
        self.agent = agent
        self.path = path
        self.content = content
        if case .valid(let record, let entries) = content {
            firstSegments = LiteralPrefix.firstSegments(of: entries)
            excludes = (try? ExcludeSet(record.excludeEntries())) ?? .none
        } else {
            firstSegments = nil
            excludes = .none
        }
    }

    /// Builds a stored record from a file's bytes, checking the record against its file name.
    public init(agent: String, path: String, data: [UInt8]) {
        self.agent = agent
        self.path = path
        do throws(ErrorInfo) {
            let record = try LockRecord(bytes: data)
            guard record.agent == agent else {
                throw ErrorInfo(.invalidLock, "field \"agent\" is \(record.agent.debugDescription) but the file is named for \(agent.debugDescription)")
            }
            let entries: [ScopeEntry]
            do { entries = try record.entries() } catch { throw ErrorInfo(.invalidLock, "bad entry: \(error.message)") }
            var excludes = ExcludeSet.none
            if !(record.excludes ?? []).isEmpty { do throws(ScopeError) {
                let matcher = try ScopeMatcher(entries: entries, excludes: try record.excludeEntries())
                excludes = matcher.excludes
            } catch {
                throw ErrorInfo(.invalidLock, "bad exclude: \(error.message)")
            } }
            content = .valid(record, entries: entries)
            firstSegments = LiteralPrefix.firstSegments(of: entries)
            self.excludes = excludes
        } catch {
            content = .invalid(reason: error.message)
            firstSegments = nil
            excludes = .none
        }
    }

    /// The record, when it could be read.
    public var record: LockRecord? {
        if case .valid(let record, _) = content { return record }
        return nil
    }

    /// The record's scope, compiled: its entries less its excludes; nil for an invalid record.
    public var scope: ScopeMatcher? {
        guard case .valid(_, let entries) = content else { return nil }
        return ScopeMatcher(entries: entries.map(CompiledEntry.init), excludes: excludes)
    }

    /// The `invalid_lock` error for this record, when it could not be read.
    public var invalidError: ErrorInfo? {
        guard case .invalid(let reason) = content else { return nil }
        return ErrorInfo(
            .invalidLock,
            "lock record \(path) is invalid (\(reason)); fix or remove it by hand, or `scopelock release \(agent) --force`",
            file: path, agent: agent
        )
    }
}

