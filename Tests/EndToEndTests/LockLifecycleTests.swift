import Foundation
import Testing

/// The tour of the README, through the built binary: acquire, conflict with witness, check, owner, renew, release.
@Suite struct LockLifecycleTests {
    @Test func acquireConflictCheckOwnerRelease() async throws {
        let cli = try CLI()
        let granted = try await cli.run(["acquire", "dev", "src/app/", "--task", "build the app", "--json"])
        #expect(granted.status == 0)
        let lock = try #require(granted.json["lock"] as? [String: Any])
        #expect(lock["agent"] as? String == "dev")
        #expect(lock["directories"] as? [String] == ["src/app/"])
        #expect(lock["task_description"] as? String == "build the app")
        #expect(lock["mode"] as? String == "exclusive")
        let token = try #require(lock["token"] as? Int)

        let refused = try await cli.run(["acquire", "tester", "src/app/main_test.go", "--json"])
        #expect(refused.status == 1)
        #expect(refused.errorCode == "conflict")
        let conflict = try #require(((refused.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])?.first)
        #expect(conflict["agent"] as? String == "dev")
        #expect(conflict["held"] as? String == "src/app/")
        #expect(conflict["requested"] as? String == "src/app/main_test.go")
        #expect(conflict["witness"] as? String == "src/app/main_test.go")
        #expect(cli.read("locks/tester.lock") == nil)

        let checked = try await cli.run(["check", "tester", "src/lib/", "--json"])
        #expect(checked.status == 0 && checked.json["ok"] as? Bool == true)
        let checkRefused = try await cli.run(["check", "tester", "src/app/x.go"])
        #expect(checkRefused.status == 1)
        #expect(checkRefused.stderr.contains("dev holds src/app/"))

        let owners = try await cli.run(["owner", "src/app/a.go", "src/other.go", "--json"])
        let paths = try #require(owners.json["paths"] as? [[String: Any]])
        #expect((paths[0]["owners"] as? [[String: Any]])?.first?["agent"] as? String == "dev")
        #expect((paths[1]["owners"] as? [[String: Any]])?.isEmpty == true)

        let renewed = try await cli.run(["renew", "dev", "--ttl", "2h", "--token", String(token), "--json"])
        #expect(renewed.status == 0)
        #expect((renewed.json["lock"] as? [String: Any])?["token"] as? Int == token)

        let wrongToken = try await cli.run(["release", "dev", "--token", String(token + 100), "--json"])
        #expect(wrongToken.status == 1 && wrongToken.errorCode == "lost")

        let released = try await cli.run(["release", "dev", "--token", String(token), "--json"])
        #expect(released.status == 0)
        #expect(cli.read("locks/dev.lock") == nil)
        let again = try await cli.run(["release", "dev", "--json"])
        #expect(again.status == 1 && again.errorCode == "not_found")

        let nowGranted = try await cli.run(["acquire", "tester", "src/app/main_test.go", "--json"])
        #expect(nowGranted.status == 0)
        let newToken = try #require((nowGranted.json["lock"] as? [String: Any])?["token"] as? Int)
        #expect(newToken > token)
    }

    @Test func tokensStrictlyIncreaseAndEventsAreLogged() async throws {
        let cli = try CLI()
        var tokens: [Int] = []
        for index in 0..<5 {
            let result = try await cli.run(["acquire", "a\(index % 2)", "f\(index).txt", "--json"])
            tokens.append(try #require((result.json["lock"] as? [String: Any])?["token"] as? Int))
        }
        #expect(tokens == tokens.sorted() && Set(tokens).count == tokens.count)
        let log = String(decoding: try #require(cli.read("locks/events.jsonl")), as: UTF8.self)
        let events = log.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(events.count == 5)
        #expect(events.allSatisfy { $0["event"] as? String == "acquire" && $0["time"] is String })
    }

    @Test func sharedLocksCoexistButNotWithExclusive() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "r1", "docs/", "--shared"]).status == 0)
        #expect(try await cli.run(["acquire", "r2", "docs/guide.md", "--shared"]).status == 0)
        #expect(try await cli.run(["acquire", "w", "docs/guide.md"]).status == 1)
    }

    @Test func reacquiringAnExpiredLockWarnsAndReplacesIt() async throws {
        let cli = try CLI()
        try cli.write("locks/old.lock", """
        {"agent": "old", "locked_at": "2020-01-01T00:00:00Z", "files": ["a.txt"], "expires_at": "2020-01-01T01:00:00Z"}
        """)
        let status = try await cli.run(["status", "--json"])
        #expect((status.json["locks"] as? [[String: Any]])?.first?["state"] as? String == "expired")

        let mine = try await cli.run(["acquire", "old", "b.txt", "--json"])
        #expect(mine.status == 0)
        let warnings = try #require(mine.json["warnings"] as? [[String: Any]])
        #expect(warnings.first?["code"] as? String == "overwrote_expired")
        #expect(warnings.first?["message"] as? String == "Overwriting expired lock for old")

        try cli.write("locks/gone.lock", """
        {"agent": "gone", "locked_at": "2020-01-01T00:00:00Z", "files": ["c.txt"], "expires_at": "2020-01-01T01:00:00Z"}
        """)
        let other = try await cli.run(["acquire", "new", "c.txt", "--json"])
        #expect(other.status == 0)
        #expect((other.json["warnings"] as? [[String: Any]])?.first?["message"] as? String == "Overwriting expired lock for gone")
        #expect(cli.read("locks/gone.lock") == nil)
    }

    @Test func renewingAnExpiredLockIsLost() async throws {
        let cli = try CLI()
        try cli.write("locks/late.lock", """
        {"agent": "late", "locked_at": "2020-01-01T00:00:00Z", "files": ["a.txt"], "expires_at": "2020-01-01T01:00:00Z", "token": 3}
        """)
        let renewed = try await cli.run(["renew", "late", "--json"])
        #expect(renewed.status == 1 && renewed.errorCode == "lost")
    }

    @Test func waitGivesUpWithExitFour() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "holder", "x/"]).status == 0)
        let waited = try await cli.run(["acquire", "waiter", "x/y", "--wait", "1s", "--json"])
        #expect(waited.status == 4 && waited.errorCode == "timeout")
    }

    @Test func waitSucceedsOnceTheHolderReleases() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "holder", "x/"]).status == 0)
        let result = try await cli.bash("""
        ( sleep 0.5; "$SCOPELOCK" release holder ) &
        "$SCOPELOCK" acquire waiter x/y --wait 20s --json
        """)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    }

    @Test func pruneRemovesOnlyExpiredRecords() async throws {
        let cli = try CLI()
        try cli.write("locks/old.lock", """
        {"agent": "old", "locked_at": "2020-01-01T00:00:00Z", "files": ["a.txt"], "expires_at": "2020-01-01T01:00:00Z"}
        """)
        #expect(try await cli.run(["acquire", "live", "b.txt"]).status == 0)
        let dry = try await cli.run(["prune", "--dry-run", "--json"])
        #expect((dry.json["pruned"] as? [[String: Any]])?.count == 1)
        #expect(cli.read("locks/old.lock") != nil)
        let pruned = try await cli.run(["prune", "--json"])
        #expect((pruned.json["pruned"] as? [[String: Any]])?.first?["agent"] as? String == "old")
        #expect(cli.read("locks/old.lock") == nil && cli.read("locks/live.lock") != nil)
    }

    @Test func clearRefusesWhileActiveUnlessForced() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "x.txt"]).status == 0)
        let refused = try await cli.run(["clear", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "conflict")
        #expect(try await cli.run(["release", "a"]).status == 0)
        let cleared = try await cli.run(["clear", "--json"])
        #expect(cleared.status == 0 && cleared.json["directory_removed"] as? Bool == true)
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/locks"))
    }

    @Test func outputDirectoryAndRootComeFromOptionsOrEnvironment() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.directory + "/repo/src", withIntermediateDirectories: true)
        let viaEnvironment = try await cli.run(
            ["acquire", "a", "src", "--json"],
            environment: ["SCOPELOCK_OUTPUT_DIR": cli.directory + "/out", "SCOPELOCK_ROOT": cli.directory + "/repo"]
        )
        #expect(viaEnvironment.status == 0)
        // An existing directory named without its slash becomes a directory entry.
        #expect((viaEnvironment.json["lock"] as? [String: Any])?["directories"] as? [String] == ["src/"])
        #expect(cli.read("out/locks/a.lock") != nil)
        let viaOption = try await cli.run(["status", "-o", "out", "--json"])
        #expect((viaOption.json["locks"] as? [[String: Any]])?.count == 1)
    }

    @Test func helpShowsExamplesAndVersionPrints() async throws {
        let cli = try CLI()
        for command in ["acquire", "release", "renew", "status", "check", "owner", "overlap", "prune", "clear"] {
            let help = try await cli.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example:") && help.stdout.contains("scopelock \(command)"), "\(command)")
        }
        let version = try await cli.run(["--version"])
        #expect(version.status == 0 && version.stdout.contains("."))
    }
}
