import Foundation
import ScopeLockCore

/// Deterministic scopes shaped like a monorepo's, so that every run measures the same work.
///
/// Agent `i` owns paths under `svc<i>/`. Its 20 entries are 10 files, 8 directories and 2 globs (10%).
enum Fixtures {
    /// Agent `i`'s 20 entries.
    static func scope(agent i: Int) -> [String] {
        var entries = (0..<10).map { "svc\(i)/pkg\($0 % 4)/file\($0).go" }
        entries += (0..<8).map { "svc\(i)/mod\($0)/" }
        entries += ["svc\(i)/gen/**/*.pb.go", "svc\(i)/api/v{1,2}/*_test.go"]
        return entries
    }

    /// Agent `i`'s scope in a manifest with sparse conflicts: every tenth agent also claims a file inside
    /// the previous agent's `mod0/`, so a manifest of `n` agents holds `n / 10` conflicting pairs.
    static func manifestScope(agent i: Int) -> [String] {
        var entries = scope(agent: i)
        if i > 0, i % 10 == 0 { entries[9] = "svc\(i - 1)/mod0/shared.go" }
        return entries
    }

    /// A 20-entry request that overlaps no held scope but lies beside agent `i`'s entries, so that an index
    /// lookup walks into that agent's part of the tree: 12 files, 6 directories, 2 globs.
    static func request(near i: Int) -> [String] {
        var entries = (0..<8).map { "svc\(i)/pkg\($0 % 4)/new\($0).go" }
        entries += (0..<6).map { "svc\(i)/newmod\($0)/" }
        entries += (0..<4).map { "tools/bin/tool\($0).sh" }
        entries += ["svc\(i)/docs/*.md", "svc\(i)/pkg0/*_new.go"]
        return entries
    }

    /// Parses entries as a lock record holds them (a trailing `/` makes a directory entry).
    static func parse(_ texts: [String]) -> [ScopeEntry] {
        texts.map { text in
            do { return try ScopeEntry(parsing: text) } catch { fatalError("fixture entry \(text) does not parse: \(error)") }
        }
    }

    static func compile(_ texts: [String]) -> [CompiledEntry] { parse(texts).map(CompiledEntry.init) }

    /// The parsed scopes of `agents` held locks.
    static func heldScopes(agents: Int) -> [[ScopeEntry]] { (0..<agents).map { parse(scope(agent: $0)) } }

    /// An index of `agents` held locks, each entry tagged with its agent's number.
    static func heldIndex(_ scopes: [[ScopeEntry]]) -> ScopeIndex<Int> {
        var index = ScopeIndex<Int>()
        for (agent, entries) in scopes.enumerated() {
            for entry in entries { index.insert(CompiledEntry(entry), value: agent) }
        }
        return index
    }

    /// Agent `i`'s lock record, unexpired for a day.
    static func record(agent i: Int, now: Date = Date()) -> LockRecord {
        let entries = scope(agent: i)
        return LockRecord(
            agent: "agent\(i)", lockedAt: now, files: entries.filter { !$0.hasSuffix("/") },
            directories: entries.filter { $0.hasSuffix("/") }, taskDescription: "benchmark agent \(i)",
            expiresAt: now.addingTimeInterval(86_400), mode: .exclusive, token: Int64(i + 1), pid: 4242, host: "bench"
        )
    }

    /// A fresh output directory holding `agents` lock files written as scopelock writes them.
    static func outputDirectory(agents: Int) -> String {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-bench-\(getpid())-\(agents)-\(UUID().uuidString)")
        let locks = base.appendingPathComponent("locks")
        do {
            try FileManager.default.createDirectory(at: locks, withIntermediateDirectories: true)
            let now = Date()
            for i in 0..<agents {
                try record(agent: i, now: now).fileData().write(to: locks.appendingPathComponent("agent\(i).lock"))
            }
        } catch {
            fatalError("cannot write the lock fixture: \(error)")
        }
        return base.path
    }
}

/// Values built once per benchmark by its setup hook and read by its iterations.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func set(_ value: Value) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored!
    }
}
