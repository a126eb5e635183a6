import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import ScopeLockCore
import Testing

@Suite struct LockDirectoryTests {
    /// A reader that opened a record just before a writer renamed a new one over it (or released it)
    /// holds a file with no links left: that is a record that changed, to be read again, not an invalid one.
    @Test func aRecordReplacedWhileOpenIsReadAgainNotInvalid() throws {
        let path = NSTemporaryDirectory() + "scopelock-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old = path + "/a.lock", new = path + "/.tmp-a.lock"
        try Data("old".utf8).write(to: URL(fileURLWithPath: old))
        try Data("new".utf8).write(to: URL(fileURLWithPath: new))

        let opened = open(old, O_RDONLY)
        defer { close(opened) }
        #expect(rename(new, old) == 0)
        #expect(LockDirectory.readOpenRecord(opened, agent: "a", file: old) == nil)

        let reopened = open(old, O_RDONLY)
        defer { close(reopened) }
        let record = try #require(LockDirectory.readOpenRecord(reopened, agent: "a", file: old))
        guard case .invalid(let reason) = record.content else { Issue.record("the replacement was read as valid JSON"); return }
        #expect(!reason.contains("hard link"))  // "new" is not JSON; what matters is that it was read
        #expect(link(old, path + "/b.lock") == 0)
        let linked = try #require(LockDirectory.readOpenRecord(reopened, agent: "a", file: old))
        guard case .invalid(let linkReason) = linked.content else { Issue.record("a hard-linked record was accepted"); return }
        #expect(linkReason.contains("2 hard links"))
    }

    /// Records are remembered by file identity between reads; a record renamed over, or rewritten in place
    /// with the same size, is read afresh.
    @Test func aChangedRecordIsNeverServedFromTheCache() throws {
        let path = NSTemporaryDirectory() + "scopelock-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func record(_ task: String) -> Data {
            Data(#"{"agent":"a","locked_at":"2026-01-01T00:00:00Z","files":["x"],"expires_at":"2027-01-01T00:00:00Z","task_description":"\#(task)"}"#.utf8)
        }
        func task() throws -> String? {
            let directory = try #require(try LockDirectory.open(path, create: false))
            return directory.readRecord(named: "a.lock")?.record?.taskDescription
        }
        try record("one").write(to: URL(fileURLWithPath: path + "/a.lock"))
        #expect(try task() == "one")
        #expect(try task() == "one")

        try record("two").write(to: URL(fileURLWithPath: path + "/.tmp"))
        #expect(rename(path + "/.tmp", path + "/a.lock") == 0)
        #expect(try task() == "two")

        usleep(20_000)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + "/a.lock"))
        try handle.write(contentsOf: record("3rd"))
        try handle.close()
        #expect(try task() == "3rd")
    }
}
