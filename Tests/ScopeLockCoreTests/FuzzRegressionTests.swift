import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Testing

/// Inputs found by the libFuzzer harnesses in Fuzz/, each kept as a test once fixed.
@Suite struct FuzzRegressionTests {
    /// A lock record with the given timestamps and otherwise the seed's fields.
    private static func record(lockedAt: String, expiresAt: String = "2025-01-15T11:30:00Z") -> Data {
        Data(#"{"agent":"a","locked_at":"\#(lockedAt)","files":["x.go"],"expires_at":"\#(expiresAt)"}"#.utf8)
    }

    /// FuzzLockRecord: an offset carried a timestamp outside the years 0000-9999 in UTC. The record
    /// read, but was written as `00-1-12-31T23:00:00Z` (or with a five-digit year), which does not read
    /// back, so a rewritten record turned invalid. Such timestamps are now refused when read.
    @Test(arguments: [
        ("0000-01-01T00:00:00+01:00", "2025-01-15T11:30:00Z", "locked_at"),
        ("2025-01-15T10:30:00Z", "9999-12-31T23:59:59-01:00", "expires_at"),
        ("0000-01-01T00:59:59.5+01:00", "2025-01-15T11:30:00Z", "locked_at"),
    ])
    func refusesTimestampsThatCannotBeWrittenBack(_ lockedAt: String, _ expiresAt: String, _ field: String) {
        do {
            _ = try LockRecord(data: Self.record(lockedAt: lockedAt, expiresAt: expiresAt))
            Issue.record("read a record whose \(field) cannot be written back")
        } catch {
            #expect(error.code == .invalidLock)
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    /// The ends of the writable range still read, and are written in a form that reads back.
    @Test(arguments: [
        ("0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
        ("0000-01-01T01:00:00+01:00", "9999-12-31T22:59:59.999-01:00"),
    ])
    func readsAndRewritesTheEndsOfTheRange(_ lockedAt: String, _ expiresAt: String) throws {
        let record = try LockRecord(data: Self.record(lockedAt: lockedAt, expiresAt: expiresAt))
        let again = try LockRecord(data: record.fileData())
        #expect(Timestamp.format(again.lockedAt) == "0000-01-01T00:00:00Z")
        #expect(Timestamp.format(again.expiresAt) == "9999-12-31T23:59:59Z")
    }
}
