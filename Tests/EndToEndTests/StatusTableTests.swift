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

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/", "--task", "red \u{1B}[31malert"]).status == 0)
        // In tmux, stdout is a terminal: the state is green; with NO_COLOR it is plain. capture-pane -e keeps escapes.
        let run = try await cli.bash("""
            sock="scopelock-colour-$$"
            trap 'tmux -L "$sock" kill-server 2>/dev/null' EXIT
            tmux -L "$sock" -f /dev/null new-session -d -s colour -x 160 -y 20 "bash --norc --noprofile"
            tmux -L "$sock" send-keys -t colour "env -u NO_COLOR $SCOPELOCK status; NO_COLOR=1 $SCOPELOCK status" Enter
            for i in $(seq 50); do [ "$(tmux -L "$sock" capture-pane -p -t colour | grep -c '1 lock')" -ge 2 ] && break; sleep 0.1; done
            tmux -L "$sock" capture-pane -p -e -t colour
            """)
        let rows = run.stdout.split(separator: "\n").filter { $0.contains("dev") && $0.contains("src/app/") }
        #expect(rows.count == 2, "\(run.stdout)")
        #expect(rows.first?.contains("\u{1B}[32mactive") == true, "green on a terminal: \(rows)")
        #expect(rows.last?.contains("\u{1B}[") == false, "plain with NO_COLOR: \(rows)")
        #expect(rows.allSatisfy { $0.contains("red \\u{1B}[31malert") }, "the agent's escape is shown as text")
    }

    @Test func emptyTableHasHeaderAndSummary() async throws {
        let cli = try CLI()
        let table = try await cli.run(["status"])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("root   \(cli.directory)  ") == true, "\(lines)")
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

    @Test func deadLocksAreSetApartAndWaitersSayWhomTheyWaitBehind() async throws {
        let cli = try CLI()
        // Any change removes dead locks, so the dead one is shown before the waiter queues.
        let run = try await cli.bash("""
            "$SCOPELOCK" acquire holder src/ --task 'hold the sources' > /dev/null
            sleep 30 & gone=$!
            "$SCOPELOCK" acquire gone lib/ --pid $gone > /dev/null
            kill -KILL $gone; wait $gone 2>/dev/null
            "$SCOPELOCK" status > dead.txt; echo "dead $?"
            "$SCOPELOCK" acquire w1 src/a/ --wait 60s > /dev/null 2>&1 & w1=$!
            for i in $(seq 100); do [ -f locks/w1.wait ] && break; sleep 0.1; done
            "$SCOPELOCK" status > waiting.txt; echo "waiting $?"
            "$SCOPELOCK" events > events.txt
            kill -KILL $w1; wait $w1 2>/dev/null
            """)
        #expect(run.stdout.contains("dead 0") && run.stdout.contains("waiting 0"), "\(run.stdout)\(run.stderr)")
        func lines(_ file: String) -> [String] {
            String(decoding: cli.read(file) ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        let dead = lines("dead.txt")
        let holder = try #require(dead.firstIndex { $0.hasPrefix("holder ") }, "\(dead)")
        let gone = try #require(dead.firstIndex { $0.hasPrefix("gone ") }, "\(dead)")
        #expect(dead[holder].contains("active") && dead[gone].contains("dead") && dead[gone].contains("lib/"))
        #expect(holder < gone && dead[gone - 1].isEmpty, "the dead lock is set apart below the active one: \(dead)")
        #expect(dead.last { !$0.isEmpty } == "2 locks · 1 active · 1 dead", "\(dead)")
        let waiting = lines("waiting.txt")
        let active = try #require(waiting.firstIndex { $0.hasPrefix("holder ") }, "\(waiting)")
        let waiter = try #require(waiting.firstIndex { $0.hasPrefix("w1 ") }, "\(waiting)")
        #expect(waiting[waiter].contains("waiting") && waiting[waiter].contains("behind holder") && waiting[waiter].contains("src/a/"))
        #expect(active < waiter && waiting[waiter - 1].isEmpty, "waiters below the locks: \(waiting)")
        #expect(waiting.last { !$0.isEmpty } == "1 lock · 1 active · 1 waiting", "\(waiting)")
        let wait = lines("events.txt").first { $0.contains("  wait ") }
        #expect(wait?.contains("w1  src/a/  (holder holds src/; both cover src/a/") == true, "the wait event names the lock in the way: \(lines("events.txt"))")
    }
}
