import Foundation
import Testing

/// `renew` without a TTL, through the built binary: it renews for the TTL the lock was granted (or last renewed) with,
/// recorded as `ttl_seconds`, so renewing again and again never lengthens the lease. A record without the field
/// renews by `expires_at - locked_at`, once, and from then on by what that renew recorded.
@Suite struct RenewDurationTests {
    /// The lock of a `--json` result.
    static func lock(_ result: CLI.Result) throws -> [String: Any] {
        try #require(result.json["lock"] as? [String: Any], "\(result.stdout) \(result.stderr)")
    }

    static func date(_ lock: [String: Any], _ key: String) throws -> Date {
        try #require((lock[key] as? String).flatMap(ISO8601DateFormatter().date(from:)), "\(lock)")
    }

    /// Runs a renew and checks that the lease runs `seconds` from the moment it ran: never less, and at most a
    /// second more (records hold whole seconds, rounded up).
    static func renew(
        _ cli: CLI, _ arguments: [String], lasts seconds: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let before = Date()
        let result = try await cli.run(["renew"] + arguments + ["--json"])
        let after = Date()
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)", sourceLocation: sourceLocation)
        let lock = try lock(result)
        let expires = try date(lock, "expires_at")
        let earliest = before.addingTimeInterval(Double(seconds)).timeIntervalSince1970.rounded(.down)
        let latest = after.addingTimeInterval(Double(seconds) + 1).timeIntervalSince1970
        #expect(
            expires.timeIntervalSince1970 >= earliest && expires.timeIntervalSince1970 <= latest,
            "expires_at \(lock["expires_at"] ?? "") is not \(seconds) s after the renew (\(before)...\(after))",
            sourceLocation: sourceLocation
        )
        #expect(lock["ttl_seconds"] as? Int == seconds, "\(lock)", sourceLocation: sourceLocation)
        return lock
    }

    @Test func plainRenewsKeepTheGrantedTTL() async throws {
        let cli = try CLI()
        let granted = try Self.lock(try await cli.run(["acquire", "a", "src/", "--ttl", "60s", "--json"]))
        #expect(granted["ttl_seconds"] as? Int == 60, "\(granted)")
        try await Task.sleep(for: .seconds(2))
        _ = try await Self.renew(cli, ["a"], lasts: 60)
        try await Task.sleep(for: .seconds(2))
        let renewed = try await Self.renew(cli, ["a"], lasts: 60)
        #expect(renewed["token"] as? Int == granted["token"] as? Int)
        #expect(renewed["locked_at"] as? String == granted["locked_at"] as? String)
    }

    @Test func renewWithATTLIsWhatPlainRenewsKeep() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "src/", "--ttl", "60s"]).status == 0)
        _ = try await Self.renew(cli, ["a", "--ttl", "2m"], lasts: 120)
        try await Task.sleep(for: .seconds(1.5))
        _ = try await Self.renew(cli, ["a"], lasts: 120)
    }

    @Test func addingEntriesAndGivingSomeBackKeepTheTTL() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "src/", "--ttl", "90s"]).status == 0)
        let added = try Self.lock(try await cli.run(["acquire", "a", "docs/", "--add", "--json"]))
        #expect(added["ttl_seconds"] as? Int == 90, "\(added)")
        #expect(try await cli.run(["release", "a", "docs/"]).status == 0)
        let file = try #require(cli.read("locks/a.lock"))
        let record = try #require(try JSONSerialization.jsonObject(with: file) as? [String: Any])
        #expect(record["ttl_seconds"] as? Int == 90, "\(record)")
        _ = try await Self.renew(cli, ["a"], lasts: 90)
    }

    @Test func aRecordWithoutTheFieldRenewsByItsOriginalSpanOnce() async throws {
        let cli = try CLI()
        let now = Date()
        let format = ISO8601DateFormatter()
        try cli.write("locks/old.lock", """
        {"agent": "old", "locked_at": "\(format.string(from: now.addingTimeInterval(-600)))", "files": ["a.txt"],
         "expires_at": "\(format.string(from: now.addingTimeInterval(1200)))", "token": 4}
        """)
        _ = try await Self.renew(cli, ["old"], lasts: 1800)
        try await Task.sleep(for: .seconds(1.5))
        let again = try await Self.renew(cli, ["old"], lasts: 1800)
        #expect(again["token"] as? Int == 4)
    }

    @Test func serveRenewWithoutTTLKeepsTheGrantedTTL() async throws {
        let cli = try CLI()
        func call(_ id: Int, _ method: String, _ params: [String: Any]) -> String {
            JSON.text(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
        }
        let end = try await cli.session(["serve"]) { session in
            let granted = try await session.exchange(call(1, "acquire", ["agent": "s", "entries": ["lib/"], "ttl": "60s"]))
            try await Task.sleep(for: .seconds(2))
            var renews: [(Date, [String: Any], Date)] = []
            for id in 2...3 {
                let before = Date()
                let answer = try await session.exchange(call(id, "renew", ["agent": "s"]))
                renews.append((before, answer, Date()))
                try await Task.sleep(for: .seconds(1.5))
            }
            return (JSON.text(granted), renews.map { ($0.0, JSON.text($0.1), $0.2) })
        }
        #expect(end.status == 0, "\(end.stderr)")
        let granted = try #require(((JSON.object(end.value.0)?["result"] as? [String: Any])?["lock"] as? [String: Any]))
        #expect(granted["ttl_seconds"] as? Int == 60, "\(granted)")
        for (before, text, after) in end.value.1 {
            let lock = try #require((JSON.object(text)?["result"] as? [String: Any])?["lock"] as? [String: Any], "\(text)")
            let expires = try Self.date(lock, "expires_at").timeIntervalSince1970
            #expect(expires >= before.addingTimeInterval(60).timeIntervalSince1970.rounded(.down), "\(text)")
            #expect(expires <= after.addingTimeInterval(61).timeIntervalSince1970, "\(text)")
        }
    }
}
