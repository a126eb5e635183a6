import Foundation
import Testing

/// A writer killed at every step of acquire and release: only whole, valid records are visible, the next
/// command cleans up, mutual exclusion holds, and tokens keep increasing.
@Suite struct FailpointTests {
    @Test(arguments: ["after-temp-create", "after-write", "after-fsync", "after-epoch", "after-rename", "before-dir-fsync"])
    func acquireKilledAtStep(_ step: String) async throws {
        let cli = try CLI()
        let keeper = try await cli.run(["acquire", "keeper", "a/", "--json"])
        let keeperToken = try #require((keeper.json["lock"] as? [String: Any])?["token"] as? Int)

        let killed = try await cli.run(["acquire", "victim", "b/"], environment: ["SCOPELOCK_FAILPOINT": "\(step):kill"])
        #expect(killed.status == 128 + 9, "\(step): \(killed.stdout) \(killed.stderr)")

        // Only whole, valid records are visible.
        let status = try await cli.run(["status", "--json"])
        let locks = status.json["locks"] as? [[String: Any]] ?? []
        #expect(locks.allSatisfy { $0["state"] as? String == "active" }, "\(step): \(status.stdout)")
        let victimVisible = locks.contains { $0["agent"] as? String == "victim" }
        #expect(victimVisible == ["after-rename", "before-dir-fsync"].contains(step), "\(step)")

        // The next change cleans up temp files; exclusion is intact; tokens still increase.
        let next = try await cli.run(["acquire", "other", "c/", "--json"])
        #expect(next.status == 0, "\(step): \(next.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")
        #expect(!names.contains { $0.hasPrefix(".tmp-") }, "\(step): \(names)")
        let refused = try await cli.run(["acquire", "intruder", "a/x.go", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "conflict")
        let nextToken = try #require((next.json["lock"] as? [String: Any])?["token"] as? Int)
        let victimToken = locks.first { $0["agent"] as? String == "victim" }.flatMap { ($0["lock"] as? [String: Any])?["token"] as? Int } ?? 0
        #expect(nextToken > max(keeperToken, victimToken), "\(step): \(nextToken) after \(keeperToken), \(victimToken)")
    }

    @Test func releaseKilledMidway() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "keeper", "a/"]).status == 0)
        let killed = try await cli.run(["release", "keeper"], environment: ["SCOPELOCK_FAILPOINT": "during-release:kill"])
        #expect(killed.status == 128 + 9)
        let status = try await cli.run(["status", "--json"])
        #expect((status.json["locks"] as? [[String: Any]] ?? []).allSatisfy { $0["state"] as? String == "active" })
        #expect(try await cli.run(["release", "keeper"]).status == 0)
        #expect(try await cli.run(["acquire", "other", "a/"]).status == 0)
    }

    @Test(arguments: ["after-write", "after-fsync", "after-epoch"])
    func anInjectedWriteErrorIsAnIOErrorAndChangesNothing(_ step: String) async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "keeper", "a/"]).status == 0)
        let before = try #require(cli.read("locks/keeper.lock"))
        let failed = try await cli.run(["acquire", "keeper", "b/", "--json"], environment: ["SCOPELOCK_FAILPOINT": "\(step):error"])
        #expect(failed.status == 3 && failed.errorCode == "io_error", "\(step): \(failed.stdout)")
        #expect(cli.read("locks/keeper.lock") == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")
        #expect(!names.contains { $0.hasPrefix(".tmp-") })
    }
}
