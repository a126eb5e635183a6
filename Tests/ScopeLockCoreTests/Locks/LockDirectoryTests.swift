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
}
