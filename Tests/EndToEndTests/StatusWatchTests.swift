import Foundation
import Testing

/// `status --watch` in a real terminal (tmux): a lock taken elsewhere appears within a second without a
/// keypress, a locks folder that disappears is reported while watching goes on, `q` ends it and the
/// terminal's modes are restored; `--watch --json` prints one status object per change.
@Suite(.serialized) struct StatusWatchTests {
    /// Runs `script` with `tmux` on a server of its own (socket `$sock`), killed when the script ends.
    static func inTmux(_ script: String) -> String {
        """
        sock="scopelock-watch-$$"
        t() { tmux -L "$sock" "$@"; }
        trap 't kill-server 2>/dev/null' EXIT
        t -f /dev/null new-session -d -s watch -x 150 -y 40 "bash --norc --noprofile"
        t set-option -t watch remain-on-exit off
        screen() { t capture-pane -p -t watch; }
        # Waits up to $2 tenths of a second for the screen to show $1; prints the tenths it took.
        await() { for i in $(seq "$2"); do if screen | grep -qF -- "$1"; then echo "$i"; return 0; fi; sleep 0.1; done; echo never; return 1; }
        \(script)
        """
    }

    @Test func aNewLockAppearsWithinASecondAndQEndsIt() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/", "--task", "build the app"]).status == 0)
        let run = try await cli.bash(Self.inTmux("""
            t send-keys -t watch "stty -a | grep -o -- '-\\\\?icanon' > before.txt; cd \(cli.directory) && $SCOPELOCK status --watch; echo ended > ended.txt; stty -a | grep -o -- '-\\\\?icanon' > after.txt" Enter
            echo "first $(await 'dev' 50)"
            "$SCOPELOCK" acquire tester tests/ --task 'write the tests' > /dev/null
            echo "tester $(await 'tester' 10)"
            screen > screen.txt
            rm -rf locks
            echo "gone $(await 'does not exist' 20)"
            "$SCOPELOCK" acquire again docs/ > /dev/null
            echo "back $(await 'again' 20)"
            t send-keys -t watch q
            for i in $(seq 30); do [ -f ended.txt ] && break; sleep 0.1; done
            echo "ended $(cat ended.txt 2>/dev/null)"
            sleep 0.3
            echo "modes $(cat before.txt) $(cat after.txt)"
            """))
        #expect(run.stdout.contains("ended ended"), "q ended the watch: \(run.stdout) \(run.stderr)")
        let tester = run.stdout.split(separator: "\n").first { $0.hasPrefix("tester ") }.map { String($0.dropFirst(7)) }
        let tenths = try #require(tester.flatMap { Int($0) }, "the new lock never appeared: \(run.stdout)")
        #expect(tenths <= 10, "appeared after \(tenths) tenths of a second")
        #expect(!run.stdout.contains("never"), "\(run.stdout)")
        let screen = String(decoding: cli.read("screen.txt") ?? Data(), as: UTF8.self)
        #expect(screen.contains("write the tests") && screen.contains("2 locks"), "\(screen)")
        #expect(run.stdout.contains("modes icanon icanon"), "the terminal is back in canonical mode: \(run.stdout)")
    }

    @Test func jsonWatchPrintsOneStatusPerChange() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/"]).status == 0)
        let run = try await cli.bash("""
            "$SCOPELOCK" status --watch --json > watch.jsonl & pid=$!
            for i in $(seq 50); do [ -s watch.jsonl ] && break; sleep 0.1; done
            "$SCOPELOCK" acquire tester tests/ > /dev/null
            for i in $(seq 20); do grep -q tester watch.jsonl && break; sleep 0.1; done
            kill -TERM $pid; wait $pid; echo "status $?"
            """)
        #expect(run.stdout.contains("status 0"), "SIGTERM ends the watch cleanly: \(run.stdout) \(run.stderr)")
        let lines = String(decoding: cli.read("watch.jsonl") ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
        let objects = lines.compactMap(JSON.object)
        #expect(objects.count == lines.count && lines.count >= 2, "one JSON object per line: \(lines)")
        let agents = objects.map { (($0["locks"] as? [[String: Any]]) ?? []).compactMap { $0["agent"] as? String } }
        #expect(agents.first == ["dev"])
        #expect(agents.last == ["dev", "tester"])
        let check = try await SchemaFiles.validate(lines, against: "status-result.schema.json", in: cli)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}
