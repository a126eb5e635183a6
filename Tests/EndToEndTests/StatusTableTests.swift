import Foundation
import Testing

/// `status` for people: the table at a fixed clock, compared with a golden file.
@Suite struct StatusTableTests {
    /// The fixed "now" of the table.
    static let now = "2026-05-01T12:00:00Z"

    @Test func tableAtAFixedClock() async throws {
        let cli = try CLI()
        func at(_ time: String) -> [String: String] { ["SCOPELOCK_TEST_NOW": time] }
        #expect(try await cli.run(["acquire", "dev", "src/app/", "--task", "build the app", "--ttl", "1h"], environment: at("2026-05-01T11:59:00Z")).status == 0)
        #expect(try await cli.run(
            ["acquire", "reviewer", "docs/", "README.md", "--shared", "--task", "review the docs", "--ttl", "2h10m"],
            environment: at("2026-05-01T11:55:00Z")
        ).status == 0)
        let many = (1...12).map { "src/lib/module\($0)/" }
        #expect(try await cli.run(
            ["acquire", "backend-tester"] + many + ["--task", "write tests \u{1B}[31mfor every module\u{1B}[0m of the library and more", "--ttl", "45s"],
            environment: at(Self.now)
        ).status == 0)
        #expect(try await cli.run(["acquire", "old-agent", "tmp/", "--ttl", "60s"], environment: at("2026-05-01T10:00:00Z")).status == 0)
        try cli.write("locks/broken.lock", "not json\n")

        let table = try await cli.run(["status"], environment: at(Self.now))
        #expect(table.status == 0)
        try Golden.check(table.stdout.replacingOccurrences(of: cli.directory, with: "<dir>"), "status-table.txt")
        #expect(!table.stdout.contains("\u{1B}"), "no colour and no raw control character when piped")
    }

    @Test func emptyTableHasHeaderAndSummary() async throws {
        let cli = try CLI()
        let table = try await cli.run(["status"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "root   \(cli.directory)")
        #expect(table.stdout.contains("no locks"))
        #expect(lines.dropLast().last == "0 locks")
    }

    @Test func timeLeftIsWrittenInHoursAndMinutes() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "x/", "--ttl", "3h"], environment: ["SCOPELOCK_TEST_NOW": "2026-05-01T12:00:00Z"]).status == 0)
        for (time, label) in [("2026-05-01T12:00:00Z", "3h00m"), ("2026-05-01T12:00:01Z", "2h59m"), ("2026-05-01T14:59:00Z", "1m"), ("2026-05-01T14:59:30Z", "30s")] {
            let table = try await cli.run(["status"], environment: ["SCOPELOCK_TEST_NOW": time])
            let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("a ") })
            #expect(row.split(separator: " ").contains(Substring(label)), "\(time): \(row)")
        }
    }
}
