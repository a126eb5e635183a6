import Foundation
import ScopeLockProtocol

/// A process waiting for a scope (`acquire --wait`, `run --wait`), stored beside the records as
/// `locks/<agent>.wait` so that every process sees the queue. Waiters are served first come, first served
/// among those whose scopes overlap: a request never overtakes an earlier waiter it overlaps. A waiter
/// whose process is gone is ignored at once and removed by the next change.
public struct Waiter: Sendable {
    public var agent: String
    /// File and glob entries.
    public var files: [String]
    /// Directory entries.
    public var directories: [String]
    public var shared: Bool
    /// When it started waiting.
    public var since: Date
    /// Its place in the queue: smaller came first.
    public var ticket: Int64
    /// The waiting process.
    public var holder: Holder
    /// The entries, parsed.
    public let entries: [ScopeEntry]
    /// Entries the scope does not cover.
    public var excludes: [String]
    /// The excludes, compiled.
    let excludeSet: ExcludeSet
    /// The first lock or waiter in the way when it joined (for the `wait` event; not stored).
    public var blockedBy: LockEvent.Conflict?

    /// File name suffix of waiter records.
    static let fileSuffix = ".wait"

    public init(
        agent: String, entries: [ScopeEntry], excludes: [ScopeEntry] = [], shared: Bool, since: Date, ticket: Int64, holder: Holder
    ) {
        self.excludes = excludes.map(\.text)
        self.excludeSet = (try? ExcludeSet(excludes)) ?? .none
        self.agent = agent
        self.files = entries.filter { $0.kind != .directory }.map(\.text)
        self.directories = entries.filter { $0.kind == .directory }.map(\.text)
        self.shared = shared
        self.since = since
        self.ticket = ticket
        self.holder = holder
        self.entries = entries
    }

    /// All entries, as text.
    public var entryTexts: [String] { files + directories }

    /// The stored JSON object.
    public var jsonObject: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "agent": .string(agent),
            "files": .array(files.map(JSONValue.string)),
            "directories": .array(directories.map(JSONValue.string)),
            "mode": .string(shared ? LockMode.shared.rawValue : LockMode.exclusive.rawValue),
            "since": .string(Timestamp.format(since)),
            "ticket": .number(Double(ticket)),
            "holder": .object(holder.jsonObject),
        ]
        if !excludes.isEmpty { object["excludes"] = .array(excludes.map(JSONValue.string)) }
        return object
    }

    /// The bytes stored.
    func fileData() -> Data { Data((JSONValue.object(jsonObject).prettyPrinted() + "\n").utf8) }

    /// Reads a stored waiter; nil when it cannot be read (a waiter only orders grants, so an unreadable
    /// one is passed over, never trusted).
    init?(agent expected: String, bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes), case .object(let fields) = value,
              case .string(let agent)? = fields["agent"], agent == expected,
              case .array(let files)? = fields["files"], case .array(let directories)? = fields["directories"],
              case .string(let sinceText)? = fields["since"], let since = Timestamp.parse(sinceText),
              case .number(let ticket)? = fields["ticket"], ticket.rounded() == ticket, abs(ticket) < 9.0e15,
              let holderValue = fields["holder"], let holder = try? Holder(jsonValue: holderValue)
        else { return nil }
        var entries: [ScopeEntry] = []
        for case .string(let text) in files {
            guard let entry = try? ScopeEntry(parsing: text) else { return nil }
            entries.append(entry)
        }
        for case .string(let text) in directories {
            guard let entry = try? ScopeEntry(parsing: text, asDirectory: true) else { return nil }
            entries.append(entry)
        }
        guard entries.count == files.count + directories.count, !entries.isEmpty else { return nil }
        var excludes: [ScopeEntry] = []
        if case .array(let texts)? = fields["excludes"] {
            for case .string(let text) in texts {
                guard let entry = try? ScopeEntry(parsing: text) else { return nil }
                excludes.append(entry)
            }
        }
        let shared = fields["mode"] == .string(LockMode.shared.rawValue)
        self.init(agent: agent, entries: entries, excludes: excludes, shared: shared, since: since, ticket: Int64(ticket), holder: holder)
    }
}
