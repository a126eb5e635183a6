import Foundation
import ScopeLockProtocol

/// One lock file, `<output>/locks/<agent>.lock`: the seed's schema plus optional `mode`, `token`, `pid`, `host`,
/// `holder`, `excludes` and `ttl_seconds`.
/// Unknown fields are kept and written back unchanged.
public struct LockRecord: Sendable, Equatable {
    public var agent: String
    public var lockedAt: Date
    /// File and glob entries.
    public var files: [String]
    /// Directory entries (each ends with `/` when this tool writes them).
    public var directories: [String]?
    public var taskDescription: String?
    public var expiresAt: Date
    /// Absent means exclusive.
    public var mode: LockMode?
    /// Fencing token: strictly increasing over grants while the locks directory exists.
    public var token: Int64?
    public var pid: Int32?
    public var host: String?
    /// The process the lock lives with (`run`, `acquire --pid`): once it is gone on this host, the lock is dead.
    public var holder: Holder?
    /// Entries the scope does not cover (files, `dirs/`, globs); nil or empty for none. A reader that knows only
    /// the seed's fields sees a larger scope, never a smaller one.
    public var excludes: [String]?
    /// The TTL the lock was granted or last renewed with, in seconds (1 to the 365-day maximum): what a `renew`
    /// without a TTL renews for. Nil in records written by hand or by older versions.
    public var ttlSeconds: Int?
    /// Fields this tool does not know, kept as they were.
    public var extra: [String: JSONValue] = [:]

    public init(
        agent: String, lockedAt: Date, files: [String], directories: [String]?, taskDescription: String?,
        expiresAt: Date, mode: LockMode?, token: Int64?, pid: Int32?, host: String?
    ) {
        self.agent = agent
        self.lockedAt = lockedAt
        self.files = files
        self.directories = directories
        self.taskDescription = taskDescription
        self.expiresAt = expiresAt
        self.mode = mode
        self.token = token
        self.pid = pid
        self.host = host
    }

    /// The effective mode: exclusive unless the record says shared.
    public var isShared: Bool { mode == .shared }

    /// Whether the record has expired at `now`.
    public func isExpired(at now: Date) -> Bool { expiresAt <= now }

    /// Whether the process the lock lives with is known to be gone (section 8: the lock is dead).
    public var isDead: Bool { holder?.isGone ?? false }

    /// Unexpired and not dead: the lock conflicts, covers and blocks.
    public func isActive(at now: Date) -> Bool { !isExpired(at: now) && !isDead }

    /// Every entry of the record, parsed: files and globs, then directories.
    public func entries() throws(ScopeError) -> [ScopeEntry] {
        var result: [ScopeEntry] = []
        for file in files { result.append(try ScopeEntry(parsing: file)) }
        for directory in directories ?? [] { result.append(try ScopeEntry(parsing: directory, asDirectory: true)) }
        return result
    }

    /// The record's excludes, parsed.
    public func excludeEntries() throws(ScopeError) -> [ScopeEntry] {
        var result: [ScopeEntry] = []
        for text in excludes ?? [] {
            do { result.append(try ScopeEntry(parsing: text)) } catch { throw error.asExclude }
        }
        return result
    }

    /// The record as a JSON object, for files and results.
    public var jsonObject: [String: JSONValue] {
        var object = extra
        object["agent"] = .string(agent)
        object["locked_at"] = .string(Timestamp.format(lockedAt))
        object["files"] = .array(files.map(JSONValue.string))
        if let directories { object["directories"] = .array(directories.map(JSONValue.string)) }
        if let taskDescription { object["task_description"] = .string(taskDescription) }
        object["expires_at"] = .string(Timestamp.format(expiresAt))
        if let mode { object["mode"] = .string(mode.rawValue) }
        if let token { object["token"] = .number(Double(token)) }
        if let pid { object["pid"] = .number(Double(pid)) }
        if let host { object["host"] = .string(host) }
        if let holder { object["holder"] = .object(holder.jsonObject) }
        if let excludes, !excludes.isEmpty { object["excludes"] = .array(excludes.map(JSONValue.string)) }
        if let ttlSeconds { object["ttl_seconds"] = .number(Double(ttlSeconds)) }
        return object
    }
}

extension LockRecord: Codable {
    public init(from decoder: any Decoder) throws {
        let object = try decoder.singleValueContainer().decode([String: JSONValue].self)
        do {
            self = try LockRecord(jsonObject: object)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(jsonObject)
    }
}
