import Foundation
import Testing

/// Locks that live with a process (`run`, `acquire --pid`), incremental scopes (`--add`, partial release)
/// and fair waiting, through the built binary and real processes.
@Suite struct SessionTests {
    /// Runs a bash script in a fresh folder that is both the root and the output directory.
    private func script(_ body: String, in cli: CLI? = nil) async throws -> (cli: CLI, result: CLI.Result) {
        let cli = try cli ?? CLI()
        let prelude = """
        set -u
        export SCOPELOCK_OUTPUT_DIR="$PWD" SCOPELOCK_ROOT="$PWD"
        await_file() { for _ in $(seq 3000); do [ -f "$1" ] && return 0; sleep 0.005; done; echo "never appeared: $1" >&2; return 1; }

        """
        let result = try await cli.bash(prelude + body)
        return (cli, result)
    }

    /// The whole number that is word `index` of `line`, if any.
    private func number(_ line: String?, word index: Int) -> Int? {
        guard let words = line?.split(separator: " "), words.indices.contains(index) else { return nil }
        return Int(words[index])
    }

    private func env(_ cli: CLI) -> [String: String] { ["SCOPELOCK_OUTPUT_DIR": cli.directory, "SCOPELOCK_ROOT": cli.directory] }

    // MARK: run

    @Test func runExitsWithTheCommandsStatusAndReleases() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" run dev src/ --task "build" -- sh -c 'echo "$SCOPELOCK_AGENT $SCOPELOCK_TOKEN $SCOPELOCK_ROOT $SCOPELOCK_OUTPUT_DIR"; test -f locks/dev.lock && exit 7'
        echo "status $?"
        "$SCOPELOCK" run dev src/ -- sh -c 'kill -KILL $$'
        echo "status $?"
        "$SCOPELOCK" run dev src/ -- true
        echo "status $?"
        "$SCOPELOCK" status --json
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "dev 1 \(cli.directory) \(cli.directory)", "\(result.stdout)\(result.stderr)")
        #expect(lines[1] == "status 7")
        #expect(lines[2] == "status 137")
        #expect(lines[3] == "status 0")
        #expect(lines[4].contains(#""locks":[]"#))
        let events = String(decoding: cli.read("locks/events.jsonl") ?? Data(), as: UTF8.self)
        #expect(events.components(separatedBy: #""event":"release""#).count == 4)
    }

    @Test func runWithoutACommandIsAUsageErrorAndAMissingCommandIs127() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" run dev src/ ; echo "status $?"
        "$SCOPELOCK" run dev src/ -- ; echo "status $?"
        "$SCOPELOCK" run dev src/ -- no-such-command-here arg ; echo "status $?"
        ls locks
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(3) == ["status 2", "status 2", "status 127"], "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("give the command to run after --"))
        #expect(result.stderr.contains("no-such-command-here: command not found"))
        #expect(!lines.contains("dev.lock"))
        #expect(cli.read("locks/dev.lock") == nil)
    }

    @Test func runForwardsSignalsAndKeepsItsTokenAcrossRenewals() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" run dev src/ --ttl 3 -- sh -c 'trap "cat locks/dev.lock > seen.json; exit 42" TERM; touch ready; while :; do sleep 0.05; done' &
        pid=$!
        until [ -f ready ] || ! kill -0 $pid 2>/dev/null; do sleep 0.02; done
        sleep 2.6
        kill -TERM $pid
        wait $pid
        echo "status $?"
        grep -c '"event":"renew"' locks/events.jsonl
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "status 42", "\(result.stdout)\(result.stderr)")
        #expect(Int(lines.last ?? "") ?? 0 >= 2)  // renewed every third of a 3 s lease for 2.6 s
        let seen = try #require(cli.read("seen.json"))
        let record = try #require(try JSONSerialization.jsonObject(with: seen) as? [String: Any])
        #expect(record["token"] as? Int == 1)
        #expect((record["holder"] as? [String: Any])?["pid"] as? Int != nil)
        #expect(cli.read("locks/dev.lock") == nil)
    }

    /// After `kill -9` of `run`, a waiter for the scope is granted within a second (no TTL to sit out), a
    /// plain acquire meets no lock, and the command has been stopped by its parent-death signal.
    @Test func killingRunFreesTheScopeWithinASecondAndStopsTheCommand() async throws {
        let (_, result) = try await script(#"""
        "$SCOPELOCK" run dev src/ -- sh -c 'echo $$ > command.pid; exec sleep 30' &
        pid=$!
        until [ -s command.pid ] || ! kill -0 $pid 2>/dev/null; do sleep 0.02; done
        "$SCOPELOCK" acquire waiter src/x.go --wait 120s >/dev/null &
        await_file locks/waiter.wait
        start=$(date +%s%N)
        kill -KILL $pid
        await_file locks/waiter.lock
        echo "free after $(( ($(date +%s%N) - start) / 1000000 )) ms"
        wait
        "$SCOPELOCK" acquire other src/y.go >/dev/null; echo "plain $?"
        for i in $(seq 100); do kill -0 $(cat command.pid) 2>/dev/null || break; sleep 0.02; done
        kill -0 $(cat command.pid) 2>/dev/null && echo "command alive" || echo "command gone"
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let milliseconds = number(lines.first, word: 2) ?? .max
        #expect(milliseconds < 1000, "\(result.stdout)\(result.stderr)")
        #expect(lines.contains("plain 0"))
        #expect(lines.last == "command gone")
    }

    @Test func aLostLeaseStopsTheCommandAndExits3() async throws {
        let (_, result) = try await script(#"""
        "$SCOPELOCK" run dev src/ --ttl 5 -- sh -c 'touch ready; exec sleep 30' &
        pid=$!
        until [ -f ready ] || ! kill -0 $pid 2>/dev/null; do sleep 0.02; done
        "$SCOPELOCK" release dev --force >/dev/null
        wait $pid
        echo "status $?"
        """#)
        #expect(result.stdout.contains("status 3"), "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("lost"))
    }

    // MARK: holders

    @Test func aLockBoundToAPidDiesWithIt() async throws {
        let (cli, result) = try await script(#"""
        sleep 30 &
        holder=$!
        "$SCOPELOCK" acquire dev src/ --pid $holder --json > granted.json
        "$SCOPELOCK" acquire other src/x.go >/dev/null 2>&1; echo "while alive $?"
        kill -KILL $holder; wait $holder 2>/dev/null
        "$SCOPELOCK" status --json > status.json
        "$SCOPELOCK" acquire other src/x.go --json > taken.json; echo "after $?"
        "$SCOPELOCK" acquire third lib/ --pid 999999999 --json; echo "bad pid $?"
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("while alive 1"))
        #expect(lines.contains("after 0"), "\(result.stdout)\(result.stderr)")
        #expect(lines.contains("bad pid 2"))
        let granted = try #require(try JSONSerialization.jsonObject(with: cli.read("granted.json") ?? Data()) as? [String: Any])
        let holder = try #require((granted["lock"] as? [String: Any])?["holder"] as? [String: Any])
        #expect(holder["start_time"] as? Int != nil && holder["boot_id"] as? String != nil && holder["host"] as? String != nil)
        let status = String(decoding: cli.read("status.json") ?? Data(), as: UTF8.self)
        #expect(status.contains(#""state":"dead""#))
        let taken = String(decoding: cli.read("taken.json") ?? Data(), as: UTF8.self)
        #expect(taken.contains(#""code":"holder_gone""#))
        #expect(cli.read("locks/dev.lock") == nil)
    }

    // MARK: incremental scopes

    @Test func addExtendsAllOrNothingAndReleaseGivesBackEntries() async throws {
        let cli = try CLI()
        let env = env(cli)
        let first = try await cli.run(["acquire", "dev", "src/a/", "--json"], environment: env)
        let lock = try #require(first.json["lock"] as? [String: Any])
        _ = try await cli.run(["acquire", "other", "lib/"], environment: env)
        let added = try await cli.run(["acquire", "dev", "docs/", "notes.md", "--add", "--json"], environment: env)
        let grown = try #require(added.json["lock"] as? [String: Any])
        #expect(grown["token"] as? Int == lock["token"] as? Int)
        #expect(grown["expires_at"] as? String == lock["expires_at"] as? String)
        #expect(grown["directories"] as? [String] == ["src/a/", "docs/"])
        #expect(grown["files"] as? [String] == ["notes.md"])

        let refused = try await cli.run(["acquire", "dev", "tools/", "lib/x.go", "--add", "--json"], environment: env)
        #expect(refused.status == 1 && refused.errorCode == "conflict")
        let unchanged = try await cli.run(["status", "dev", "--json"], environment: env)
        #expect(!unchanged.stdout.contains("tools/"))

        let partial = try await cli.run(["release", "dev", "docs/", "--json"], environment: env)
        #expect(partial.status == 0)
        let rest = try #require(partial.json["lock"] as? [String: Any])
        #expect(rest["directories"] as? [String] == ["src/a/"] && rest["token"] as? Int == lock["token"] as? Int)
        let stranger = try await cli.run(["release", "dev", "src/a/x.go", "--json"], environment: env)
        #expect(stranger.status == 1 && stranger.errorCode == "not_owner")
        let replaced = try await cli.run(["acquire", "dev", "tools/", "--json"], environment: env)
        #expect(replaced.stdout.contains(#""code":"replaced""#))
        let last = try await cli.run(["release", "dev", "tools/", "--json"], environment: env)
        #expect(last.status == 0 && last.json["lock"] == nil)
        #expect(cli.read("locks/dev.lock") == nil)
        let fresh = try await cli.run(["acquire", "dev", "src/", "--add", "--json"], environment: env)
        #expect(fresh.status == 0)  // nothing held: a plain acquire
    }

    // MARK: fair waiting

    /// Waiters W1, W2, W3 arrive in that order on pairwise overlapping scopes chosen at random; they are
    /// granted in that order, in every round (50 rounds, in 5 lock folders side by side to keep it quick).
    @Test func overlappingWaitersAreServedInArrivalOrder() async throws {
        let groups = 5, roundsPerGroup = 10
        let scopes = ["src/", "src/a/", "src/a/x.go", "'src/**/*.go'", "'src/{a,b}/x.go'", "'src/a/*.go'", "'src/a/[wx].go'"]
        var body = ""
        for group in 1...groups {
            body += "(\nmkdir -p g\(group) && cd g\(group) && export SCOPELOCK_OUTPUT_DIR=\"$PWD\"\n"
            for round in 1...roundsPerGroup {
                let picks = (0..<4).map { _ in scopes.randomElement()! }
                body += "rm -f order; \"$SCOPELOCK\" acquire holder \(picks[0]) >/dev/null\n"
                for (index, scope) in picks.dropFirst().enumerated() {
                    let agent = "w\(index + 1)"
                    body += "( \"$SCOPELOCK\" acquire \(agent) \(scope) --wait 120s >/dev/null && echo \(agent) >> order && \"$SCOPELOCK\" release \(agent) >/dev/null ) &\n"
                    body += "await_file locks/\(agent).wait\n"
                }
                body += "\"$SCOPELOCK\" release holder >/dev/null; wait; echo \"round \(group).\(round) [\(picks.joined(separator: " "))]: $(tr '\\n' ' ' < order)\"\n"
            }
            body += ") &\n"
        }
        body += "wait\n"
        let (_, result) = try await script(body)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == groups * roundsPerGroup, "\(result.stderr)")
        for line in lines { #expect(line.hasSuffix(": w1 w2 w3 "), "\(line)") }
    }

    /// A waiter whose scope is disjoint from a queue goes straight through; one that waits for another lock
    /// is granted when that lock goes, while the queue still waits.
    @Test func disjointWaitersAreNeverHeldUp() async throws {
        let (_, result) = try await script(#"""
        "$SCOPELOCK" acquire holder src/ >/dev/null
        "$SCOPELOCK" acquire docs-holder docs/ >/dev/null
        ( "$SCOPELOCK" acquire w1 src/a/ --wait 120s >/dev/null; echo "w1 $?" >> log ) &
        await_file locks/w1.wait
        "$SCOPELOCK" acquire free lib/ --wait 120s >/dev/null; echo "free $? $(grep '"agent":"free"' locks/events.jsonl | grep -c '"event":"wait"')"
        ( "$SCOPELOCK" acquire d docs/guide.md --wait 120s >/dev/null; echo "d $?" >> log ) &
        await_file locks/d.wait
        "$SCOPELOCK" release docs-holder >/dev/null
        await_file locks/d.lock
        cat log 2>/dev/null; echo "w1 still waiting: $(test -f locks/w1.wait && echo yes)"
        "$SCOPELOCK" status --json > status.json
        "$SCOPELOCK" release holder >/dev/null
        wait; cat log
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let free = lines.first { $0.hasPrefix("free ") }
        #expect(number(free, word: 1) == 0, "\(result.stdout)\(result.stderr)")
        #expect(number(free, word: 2) == 0)  // it never waited
        #expect(lines.contains("w1 still waiting: yes"))
        #expect(lines.contains("w1 0") && lines.contains("d 0"))
    }

    /// A killed waiter leaves the queue at once: the next waiter is granted as soon as the holder releases,
    /// and a plain acquire is no longer refused for it.
    @Test func aKilledWaiterNeverDelaysTheNext() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" acquire holder src/ >/dev/null
        "$SCOPELOCK" acquire w1 src/a/ --wait 120s >/dev/null 2>&1 &
        w1=$!
        await_file locks/w1.wait
        ( "$SCOPELOCK" acquire w2 src/a/x.go --wait 120s >/dev/null; echo "w2 $?" >> log ) &
        await_file locks/w2.wait
        "$SCOPELOCK" status --json > before.json
        kill -KILL $w1; wait $w1 2>/dev/null
        "$SCOPELOCK" status --json > after.json
        "$SCOPELOCK" release holder >/dev/null
        start=$(date +%s%N)
        await_file locks/w2.lock
        echo "granted after $(( ($(date +%s%N) - start) / 1000000 )) ms"
        wait; cat log
        """#)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let milliseconds = number(lines.first, word: 2) ?? .max
        #expect(milliseconds < 1000, "\(result.stdout)\(result.stderr)")
        #expect(lines.contains("w2 0"))
        let before = try #require(try JSONSerialization.jsonObject(with: cli.read("before.json") ?? Data()) as? [String: Any])
        let waiting = try #require(before["waiting"] as? [[String: Any]])
        #expect(waiting.map { $0["agent"] as? String } == ["w1", "w2"])
        #expect(waiting[1]["behind"] as? [String] == ["holder", "w1"])
        #expect(waiting[1]["state"] as? String == "waiting" && waiting[1]["since"] as? String != nil)
        let after = try #require(try JSONSerialization.jsonObject(with: cli.read("after.json") ?? Data()) as? [String: Any])
        #expect((after["waiting"] as? [[String: Any]])?.map { $0["agent"] as? String } == ["w2"])
    }

    /// A plain acquire that overlaps a waiter is refused, naming the waiter; a newcomer with --wait queues behind.
    @Test func aPlainAcquireNeverOvertakesAWaiter() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" acquire holder src/a/ >/dev/null
        "$SCOPELOCK" acquire w1 src/ --wait 120s >/dev/null 2>w1.err &
        await_file locks/w1.wait
        "$SCOPELOCK" acquire newcomer src/b/ --json > refused.json; echo "plain $?"
        grep -c '"event":"wait"' locks/events.jsonl
        "$SCOPELOCK" release holder >/dev/null; wait
        """#)
        #expect(result.stdout.contains("plain 1"), "\(result.stdout)\(result.stderr)")
        let refused = String(decoding: cli.read("refused.json") ?? Data(), as: UTF8.self)
        #expect(refused.contains(#""waiting":true"#) && refused.contains(#""agent":"w1""#))
    }

    @Test func aWaitPrintsProgressAndGivesUpOnItsDeadline() async throws {
        let (cli, result) = try await script(#"""
        "$SCOPELOCK" acquire holder src/ >/dev/null
        start=$(date +%s%N)
        "$SCOPELOCK" acquire w1 src/a/ --wait 3 --json > w1.json 2> w1.err; echo "status $? $(( ($(date +%s%N) - start) / 1000000 ))"
        ls locks
        """#)
        let first = result.stdout.split(separator: "\n").first.map(String.init)
        #expect(number(first, word: 1) == 4, "\(result.stdout)\(result.stderr)")
        #expect((number(first, word: 2) ?? 0) >= 3000)  // not before its deadline
        let stderr = String(decoding: cli.read("w1.err") ?? Data(), as: UTF8.self)
        #expect(stderr.contains("w1: waiting for holder"))
        #expect(!result.stdout.contains("w1.wait"))  // it left the queue
    }
}
