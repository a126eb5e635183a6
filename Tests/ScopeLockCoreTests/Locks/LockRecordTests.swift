import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Testing

@Suite struct LockRecordTests {
    @Test func readsTheSeedsFieldsOnly() throws {
        let record = try LockRecord(data: Data("""
        {"agent": "integration-developer", "locked_at": "2025-01-15T10:30:00Z", "files": [],
         "directories": ["backend/pkg/integrations/qualys/"], "task_description": "Implement Qualys",
         "expires_at": "2025-01-15T11:30:00Z"}
        """.utf8))
        #expect(record.agent == "integration-developer")
        #expect(record.directories == ["backend/pkg/integrations/qualys/"])
        #expect(record.mode == nil && !record.isShared && record.token == nil)
        #expect(record.expiresAt.timeIntervalSince(record.lockedAt) == 3600)
    }

    @Test(arguments: [
        ("2025-01-15T10:30:00Z", 1_736_937_000.0),
        ("2025-01-15t10:30:00z", 1_736_937_000.0),
        ("2025-01-15T12:30:00+02:00", 1_736_937_000.0),
        ("2025-01-15T05:00:00-05:30", 1_736_937_000.0),
        ("2025-01-15T10:30:00.75Z", 1_736_937_000.75),
    ])
    func readsRFC3339Timestamps(_ text: String, _ epoch: Double) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.001)
    }

    @Test(arguments: ["2025-01-15", "2025-01-15T10:30:00", "2025-13-01T00:00:00Z", "2025-01-15T10:30:00+2:00", "yesterday", ""])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func writesWholeSecondsInUTC() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_736_937_000.9)) == "2025-01-15T10:30:00Z")
    }

    @Test(arguments: [
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","expires_at":"2025-01-15T11:30:00Z"}"#, "files"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":"x","expires_at":"2025-01-15T11:30:00Z"}"#, "files"),
        (#"{"agent":"a","locked_at":"soon","files":[],"expires_at":"2025-01-15T11:30:00Z"}"#, "locked_at"),
        (#"{"agent":7,"locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z"}"#, "agent"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","mode":"both"}"#, "mode"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","token":1.5}"#, "token"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":"1h"}"#, "ttl_seconds"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":0}"#, "ttl_seconds"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":60.5}"#, "ttl_seconds"),
        (#"{"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":[],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":31536001}"#, "ttl_seconds"),
        (#"["not", "an", "object"]"#, "object"),
        ("{", "JSON"),
    ])
    func namesTheFieldAtFault(_ json: String, _ field: String) {
        #expect(throws: ErrorInfo.self) { try LockRecord(data: Data(json.utf8)) }
        do {
            _ = try LockRecord(data: Data(json.utf8))
        } catch {
            #expect(error.code == .invalidLock)
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    @Test func roundTripsWithUnknownFieldsKept() throws {
        let original = try LockRecord(data: Data("""
        {"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":["x.go"],"expires_at":"2025-01-15T11:30:00Z",
         "token":12,"mode":"shared","ticket":{"id":"ENG-1"}}
        """.utf8))
        let written = original.fileData()
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"agent\": \"a\",\n"))
        #expect(text.hasSuffix("}\n"))
        let reread = try LockRecord(data: written)
        #expect(reread == original)
        #expect(reread.extra["ticket"] == .object(["id": .string("ENG-1")]))
    }

    @Test func readsAndWritesTheRecordedTTL() throws {
        let original = try LockRecord(data: Data("""
        {"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":["x.go"],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":900}
        """.utf8))
        #expect(original.ttlSeconds == 900)
        #expect(original.extra["ttl_seconds"] == nil)
        let reread = try LockRecord(data: original.fileData())
        #expect(reread == original)
        let seedOnly = try LockRecord(data: Data("""
        {"agent":"a","locked_at":"2025-01-15T10:30:00Z","files":["x.go"],"expires_at":"2025-01-15T11:30:00Z","ttl_seconds":null}
        """.utf8))
        #expect(seedOnly.ttlSeconds == nil)
        #expect(!String(decoding: seedOnly.fileData(), as: UTF8.self).contains("ttl_seconds"))
    }

    @Test(arguments: [("90s", 90), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("120", 120), ("2h5m10s", 7510)])
    func parsesDurations(_ text: String, _ seconds: Int) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "0", "-5", "1x", "m", "30m1h", "1.5h", "99999999999999999999h"])
    func rejectsBadDurations(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test(arguments: ["a", "integration-developer", "A.b_c-9", String(repeating: "x", count: 128)])
    func acceptsAgentNames(_ name: String) throws {
        try AgentName.validate(name)
    }

    @Test(arguments: ["", "..", ".a", "-x", "a/b", "a b", "a\nb", String(repeating: "x", count: 129), "é"])
    func rejectsAgentNames(_ name: String) {
        #expect(throws: ErrorInfo.self) { try AgentName.validate(name) }
    }
}
