import Foundation
import Testing

/// Records written by hand in the seed's style are honoured.
@Suite struct InteropTests {
    @Test func handWrittenSeedLockBlocksTheTester() async throws {
        let cli = try CLI()
        // Only the seed's fields; an offset and fractional seconds, as another tool might write them.
        try cli.write("locks/integration-developer.lock", """
        {
          "agent": "integration-developer",
          "locked_at": "2026-01-15T10:30:00.250+02:00",
          "files": [],
          "directories": ["backend/pkg/integrations/qualys/"],
          "task_description": "Implement Qualys integration client and collector",
          "expires_at": "2999-01-15T11:30:00Z"
        }
        """)
        let refused = try await cli.run(["acquire", "backend-tester", "backend/pkg/integrations/*/*_test.go", "--json"])
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        let conflict = try #require(((refused.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])?.first)
        #expect(conflict["agent"] as? String == "integration-developer")
        let witness = try #require(conflict["witness"] as? String)
        #expect(witness.hasPrefix("backend/pkg/integrations/qualys/"))

        let status = try await cli.run(["status", "--json"])
        let lock = try #require((status.json["locks"] as? [[String: Any]])?.first)
        #expect(lock["agent"] as? String == "integration-developer")
        #expect(lock["state"] as? String == "active")
        #expect((lock["lock"] as? [String: Any])?["locked_at"] as? String == "2026-01-15T08:30:00Z")
        let human = try await cli.run(["status"])
        #expect(human.stdout.contains("integration-developer") && human.stdout.contains("active"))
    }

    @Test func unknownFieldsSurviveARenew() async throws {
        let cli = try CLI()
        try cli.write("locks/dev.lock", """
        {"agent": "dev", "locked_at": "2026-01-01T00:00:00Z", "files": ["a.go"], "expires_at": "2999-01-01T00:00:00Z",
         "ticket": "ENG-42"}
        """)
        #expect(try await cli.run(["renew", "dev", "--ttl", "1h"]).status == 0)
        let record = try #require(cli.read("locks/dev.lock"))
        let object = try #require(try JSONSerialization.jsonObject(with: record) as? [String: Any])
        #expect(object["ticket"] as? String == "ENG-42")
    }
}
