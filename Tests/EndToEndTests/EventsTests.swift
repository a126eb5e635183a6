import Foundation
import Testing

/// `events.jsonl` carries scopes and refusals; `scopelock events` prints them for people and for tools.
@Suite struct EventsTests {
    @Test func refusalsCarryTheConflictAndEventsCarryScopes() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/", "--task", "build"]).status == 0)
        #expect(try await cli.run(["acquire", "tester", "src/app/main_test.go"]).status == 1)
        #expect(try await cli.run(["release", "dev"]).status == 0)

        let listed = try await cli.run(["events", "--json"])
        #expect(listed.status == 0)
        #expect(listed.json["skipped"] as? Int == 0)
        let events = try #require(listed.json["events"] as? [[String: Any]])
        #expect(events.map { $0["event"] as? String } == ["acquire", "refuse", "release"])
        #expect(events[0]["scope"] as? [String] == ["src/app/"])
        #expect(events[2]["scope"] as? [String] == ["src/app/"], "a release names the scope it gave up")
        let refusal = events[1]
        #expect(refusal["agent"] as? String == "tester")
        #expect(refusal["scope"] as? [String] == ["src/app/main_test.go"])
        let conflict = try #require(refusal["conflict"] as? [String: Any])
        #expect(conflict["holder"] as? String == "dev")
        #expect(conflict["entries"] as? [String] == ["src/app/", "src/app/main_test.go"])
        #expect(conflict["witness"] as? String == "src/app/main_test.go")

        let text = try await cli.run(["events"])
        let printed = text.stdout.split(separator: "\n")
        #expect(printed.count == 3)
        #expect(printed[1].contains("refuse") && printed[1].contains("dev holds src/app/") && printed[1].contains("both cover src/app/main_test.go"))

        // The output and every line of the log match their schemas.
        let log = String(decoding: try #require(cli.read("locks/events.jsonl")), as: UTF8.self)
        let lines = log.split(separator: "\n").map(String.init)
        let lineCheck = try await SchemaFiles.validate(lines, against: "lock-event.schema.json", in: cli)
        #expect(lineCheck.status == 0, "\(lineCheck.stdout)\(lineCheck.stderr)")
        let failure = try await cli.run(["events", "--agent", "no/such", "--json"])
        #expect(failure.status == 2)
        let resultCheck = try await SchemaFiles.validate([listed.stdout, failure.stdout], against: "events-result.schema.json", in: cli)
        #expect(resultCheck.status == 0, "\(resultCheck.stdout)\(resultCheck.stderr)")

        // --agent keeps the agent's own events and the refusals it caused as holder.
        let forTester = try await cli.run(["events", "--agent", "tester", "--json"])
        #expect((forTester.json["events"] as? [[String: Any]])?.count == 1)
        let forDev = try await cli.run(["events", "--agent", "dev", "--json"])
        #expect((forDev.json["events"] as? [[String: Any]])?.map { $0["event"] as? String } == ["acquire", "refuse", "release"])
    }

    @Test func aLineThatIsNotJSONIsSkippedAndCounted() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "a/"]).status == 0)
        let log = cli.directory + "/locks/events.jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("this is not json\n{\"half\": \n".utf8))
        try handle.close()
        #expect(try await cli.run(["release", "dev"]).status == 0)

        let listed = try await cli.run(["events", "--json"])
        #expect(listed.status == 0)
        #expect(listed.json["skipped"] as? Int == 2)
        let check = try await SchemaFiles.validate([listed.stdout], against: "events-result.schema.json", in: cli)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect((listed.json["events"] as? [[String: Any]])?.count == 2)
        #expect((listed.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "skipped_lines")
        let text = try await cli.run(["events"])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").count == 2)
        #expect(text.stderr.contains("skipped 2 line(s)"))
    }

    /// A waiter's story in the log ends: with its grant (`acquire`), or with a `refuse` when it gives up, logged
    /// as it leaves the queue. So a reader can tell, line by line, who is still waiting.
    @Test func aWaiterThatGivesUpLogsItsRefusalAsItLeavesTheQueue() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/"]).status == 0)
        let gaveUp = try await cli.run(["acquire", "tester", "src/app/main_test.go", "--wait", "1s", "--json"])
        #expect(gaveUp.status == 4 && gaveUp.errorCode == "timeout", "\(gaveUp.stdout)")
        #expect(cli.read("locks/tester.wait") == nil)

        let listed = try await cli.run(["events", "--json"])
        let events = try #require(listed.json["events"] as? [[String: Any]])
        let story = events.map { "\($0["event"] as? String ?? "?") \($0["agent"] as? String ?? "?")" }
        #expect(story == ["acquire dev", "wait tester", "refuse tester"], "\(story)")
        let refusal = events[2]
        #expect(refusal["scope"] as? [String] == ["src/app/main_test.go"])
        let conflict = try #require(refusal["conflict"] as? [String: Any])
        #expect(conflict["holder"] as? String == "dev")
        #expect(conflict["entries"] as? [String] == ["src/app/", "src/app/main_test.go"])
        let log = String(decoding: try #require(cli.read("locks/events.jsonl")), as: UTF8.self)
        let check = try await SchemaFiles.validate(log.split(separator: "\n").map(String.init), against: "lock-event.schema.json", in: cli)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// A waiter whose last look at its deadline finds the store's mutex busy gives up with `timeout` all the
    /// same; it still leaves the queue as soon as the mutex is free again, with its `refuse`.
    @Test func aWaiterThatGivesUpOnABusyMutexStillLeavesTheQueueLogged() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        "$SCOPELOCK" acquire dev src/app/ >/dev/null || exit 9
        "$SCOPELOCK" acquire tester src/app/main_test.go --wait 3s 2>/dev/null & waiter=$!
        for i in $(seq 100); do [ -f locks/tester.wait ] && break; sleep 0.02; done
        # Busy from just after the waiter queued until 0.3 s or so past its deadline: its looks at the deadline
        # find the mutex busy; leaving waits for it.
        flock -o locks/.mutex sleep 3.3 &
        wait $waiter; echo "wait exit $?"
        wait
        ls locks
        """)
        #expect(result.stdout.contains("wait exit 4"), "\(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains("tester.wait"), "the waiter's file is left behind: \(result.stdout)")
        let listed = try await cli.run(["events", "--json"])
        let events = try #require(listed.json["events"] as? [[String: Any]])
        let story = events.map { "\($0["event"] as? String ?? "?") \($0["agent"] as? String ?? "?")" }
        #expect(story == ["acquire dev", "wait tester", "refuse tester"], "\(story)")
        #expect((events.last?["conflict"] as? [String: Any])?["holder"] as? String == "dev", "\(events.last ?? [:])")
    }

    @Test func sinceKeepsLaterEvents() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "a/"]).status == 0)
        let all = try await cli.run(["events", "--since", "1h", "--json"])
        #expect((all.json["events"] as? [[String: Any]])?.count == 1)
        let none = try await cli.run(["events", "--since", "2099-01-01T00:00:00Z", "--json"])
        #expect((none.json["events"] as? [[String: Any]])?.isEmpty == true)
        let bad = try await cli.run(["events", "--since", "yesterday", "--json"])
        #expect(bad.status == 2 && bad.errorCode == "invalid_input")
    }

    @Test func noLogIsNoEvents() async throws {
        let cli = try CLI()
        let listed = try await cli.run(["events", "--json"])
        #expect(listed.status == 0)
        #expect((listed.json["events"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func followPrintsEachNewEventAsItIsLogged() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/"]).status == 0)
        let run = try await cli.bash("""
            "$SCOPELOCK" events --follow --json > follow.jsonl & pid=$!
            for i in $(seq 50); do [ -s follow.jsonl ] && break; sleep 0.1; done
            "$SCOPELOCK" acquire tester tests/ > /dev/null
            "$SCOPELOCK" acquire intruder src/app/main.swift > /dev/null
            for i in $(seq 30); do grep -q intruder follow.jsonl && break; sleep 0.1; done
            kill -TERM $pid; wait $pid; echo "status $?"
            """)
        #expect(run.stdout.contains("status 0"), "SIGTERM ends the follow cleanly: \(run.stdout) \(run.stderr)")
        let lines = String(decoding: cli.read("follow.jsonl") ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
        let events = lines.compactMap(JSON.object)
        #expect(events.count == lines.count, "one JSON object per line: \(lines)")
        let seen = events.map { "\($0["event"] as? String ?? "?") \($0["agent"] as? String ?? "?")" }
        #expect(seen == ["acquire dev", "acquire tester", "refuse intruder"], "the old event, then each new one once: \(seen)")
        let check = try await SchemaFiles.validate(lines, against: "lock-event.schema.json", in: cli)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}
