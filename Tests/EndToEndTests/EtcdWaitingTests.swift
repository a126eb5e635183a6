import Foundation
import Testing

/// Fair waiting on the etcd store, through the built binary, real processes and a real 3-member cluster
/// (`EtcdCluster`): the same rules as on the file store (SessionTests), with the queue kept in etcd.
@Suite(.serialized, .timeLimit(.minutes(10))) struct EtcdWaitingTests {
    /// Runs a bash script in a fresh folder, with `$PFX` the store's key prefix, `$EP` one gateway endpoint,
    /// `SCOPELOCK_STORE` set, and `await_waiter AGENT` (returns once AGENT's waiter key is in etcd).
    private func script(_ cluster: EtcdCluster, _ name: String, _ body: String) async throws -> (cli: CLI, result: CLI.Result) {
        let cli = try CLI()
        let prelude = """
        set -u
        export SCOPELOCK_OUTPUT_DIR="$PWD" SCOPELOCK_ROOT="$PWD"
        EP=http://127.0.0.1:\(cluster.clientPort)
        store() { export PFX="$1" SCOPELOCK_STORE="etcd://\(cluster.endpoints)$1"; }
        store '\(cluster.prefix(name))'
        await_waiter() {
            local key; key=$(printf '%s' "$PFX/waiters/$1" | base64 -w0)
            for _ in $(seq 3000); do
                curl -fsS -X POST "$EP/v3/kv/range" -d "{\\"key\\":\\"$key\\",\\"count_only\\":true}" | grep -q '"count"' && return 0
                sleep 0.005
            done
            echo "never queued: $1" >&2; return 1
        }

        """
        let result = try await cli.bash(prelude + body)
        return (cli, result)
    }

    private func number(_ line: String?, word index: Int) -> Int? {
        guard let words = line?.split(separator: " "), words.indices.contains(index) else { return nil }
        return Int(words[index])
    }

    /// Waiters W1, W2, W3 arrive in that order on pairwise overlapping scopes chosen at random; they are
    /// granted in that order, in every round (50 rounds, under 5 key prefixes side by side to keep it quick).
    @Test func overlappingWaitersAreServedInArrivalOrder() async throws {
        try await EtcdCluster.with { cluster in
            let groups = 5, roundsPerGroup = 10
            let scopes = ["src/", "src/a/", "src/a/x.go", "'src/**/*.go'", "'src/{a,b}/x.go'", "'src/a/*.go'", "'src/a/[wx].go'"]
            var body = ""
            for group in 1...groups {
                body += "(\nmkdir -p g\(group) && cd g\(group) && store \"$PFX/g\(group)\"\n"
                for round in 1...roundsPerGroup {
                    let picks = (0..<4).map { _ in scopes.randomElement()! }
                    body += "rm -f order; \"$SCOPELOCK\" acquire holder \(picks[0]) >/dev/null\n"
                    for (index, scope) in picks.dropFirst().enumerated() {
                        let agent = "w\(index + 1)"
                        body += "( \"$SCOPELOCK\" acquire \(agent) \(scope) --wait 120s >/dev/null && echo \(agent) >> order && \"$SCOPELOCK\" release \(agent) >/dev/null ) &\n"
                        body += "await_waiter \(agent)\n"
                    }
                    body += "\"$SCOPELOCK\" release holder >/dev/null; wait; echo \"round \(group).\(round) [\(picks.joined(separator: " "))]: $(tr '\\n' ' ' < order)\"\n"
                }
                body += ") &\n"
            }
            body += "wait\n"
            let (_, result) = try await script(cluster, "fifo", body)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == groups * roundsPerGroup, "\(result.stderr)")
            for line in lines { #expect(line.hasSuffix(": w1 w2 w3 "), "\(line)") }
        }
    }

    /// A waiter whose scope is disjoint from a queue goes straight through while the queue waits; one that
    /// waits for another lock is granted when that lock goes, while the queue still waits.
    @Test func disjointWaitersAreNeverHeldUp() async throws {
        try await EtcdCluster.with { cluster in
            let (_, result) = try await script(cluster, "disjoint", #"""
            "$SCOPELOCK" acquire holder src/ >/dev/null
            "$SCOPELOCK" acquire docs-holder docs/ >/dev/null
            ( "$SCOPELOCK" acquire w1 src/a/ --wait 120s >/dev/null; echo "w1 $?" >> log ) &
            await_waiter w1
            "$SCOPELOCK" acquire free lib/ --wait 120s >/dev/null; echo "free $?"
            ( "$SCOPELOCK" acquire d docs/guide.md --wait 120s >/dev/null; echo "d $?" >> log ) &
            await_waiter d
            "$SCOPELOCK" release docs-holder >/dev/null
            for _ in $(seq 2000); do grep -q '^d ' log 2>/dev/null && break; sleep 0.005; done
            cat log; "$SCOPELOCK" status --json > status.json
            echo "waiting: $(python3 -c 'import json; print(" ".join(w["agent"] for w in json.load(open("status.json"))["waiting"]))')"
            "$SCOPELOCK" release holder >/dev/null
            wait; cat log
            """#)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "free 0", "\(result.stdout)\(result.stderr)")
            // d was granted while w1 still waited for holder.
            #expect(lines.dropFirst().first == "d 0", "\(result.stdout)")
            #expect(lines.contains("waiting: w1"), "\(result.stdout)")
            #expect(lines.contains("w1 0"), "\(result.stdout)")
        }
    }

    /// A killed waiter leaves the queue at once on its host (its process is gone): status stops showing it,
    /// and the next waiter is granted as soon as the holder releases. Status shows etcd waiters as `waiting`.
    @Test func aKilledWaiterNeverDelaysTheNext() async throws {
        try await EtcdCluster.with { cluster in
            let (cli, result) = try await script(cluster, "killed", #"""
            "$SCOPELOCK" acquire holder src/ >/dev/null
            "$SCOPELOCK" acquire w1 src/a/ --wait 120s >/dev/null 2>&1 &
            w1=$!
            await_waiter w1
            ( "$SCOPELOCK" acquire w2 src/a/x.go --wait 120s >/dev/null; echo "w2 $?" >> log ) &
            await_waiter w2
            "$SCOPELOCK" status --json > before.json
            kill -KILL $w1; wait $w1 2>/dev/null
            "$SCOPELOCK" status --json > after.json
            "$SCOPELOCK" release holder >/dev/null
            start=$(date +%s%N)
            for _ in $(seq 2000); do grep -q '^w2 ' log 2>/dev/null && break; sleep 0.005; done
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
    }

    /// A waiter's watch stream is on the first endpoint; SIGKILL of that member drops it. The waiter falls back
    /// to looking again while it reconnects to another member, so the release made meanwhile still reaches it:
    /// it is granted within seconds, not at its 60 s deadline (where a waiter looks a last time). The waiter is
    /// a `serve` request, which prints no progress, so nothing but its change feed wakes it before then.
    @Test func aWaiterOutlivesTheMemberItWatches() async throws {
        try await EtcdCluster.with { cluster in
            let (_, result) = try await script(cluster, "dropped", """
            "$SCOPELOCK" acquire holder src/ >/dev/null
            request='{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"w1","entries":["src/a/"],"wait":"60s"}}'
            ( echo "$request" | "$SCOPELOCK" serve > w1.json; echo "w1 $(grep -c '"ok":true' w1.json)" >> log ) &
            await_waiter w1
            \(cluster.command("kill 1")) >/dev/null
            "$SCOPELOCK" release holder >/dev/null; echo "release $?"
            start=$(date +%s)
            wait; cat log; echo "after $(( $(date +%s) - start )) s"
            """)
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("release 0"), "\(result.stdout)\(result.stderr)")
            #expect(lines.contains("w1 1"), "\(result.stdout)\(result.stderr)")
            #expect(number(lines.last, word: 1).map { $0 < 30 } == true, "\(result.stdout)")
        }
    }

    /// A waiter's key lives on a short lease: one left by a process on another host (whose liveness cannot be
    /// seen from here) leaves the queue when its lease runs out, while a live waiter keeps its place for as
    /// long as it waits, well past that lease's TTL.
    @Test func aWaiterLivesByItsLease() async throws {
        try await EtcdCluster.with { cluster in
            let (cli, result) = try await script(cluster, "lease", #"""
            b64() { printf '%s' "$1" | base64 -w0; }
            "$SCOPELOCK" acquire holder src/ >/dev/null
            lease=$(curl -fsS -X POST "$EP/v3/lease/grant" -d '{"TTL":3}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["ID"])')
            ghost='{"agent":"ghost","directories":["src/"],"files":[],"holder":{"host":"elsewhere","pid":4242},"mode":"exclusive","since":"2026-01-01T00:00:00Z","ticket":1}'
            curl -fsS -X POST "$EP/v3/kv/put" -d "{\"key\":\"$(b64 "$PFX/waiters/ghost")\",\"value\":\"$(b64 "$ghost")\",\"lease\":\"$lease\"}" >/dev/null
            ( "$SCOPELOCK" acquire w1 src/a/ --wait 120s >/dev/null; echo "w1 $?" >> log ) &
            await_waiter w1
            "$SCOPELOCK" status --json > before.json
            sleep 7
            "$SCOPELOCK" status --json > after.json
            "$SCOPELOCK" release holder >/dev/null
            wait; cat log
            """#)
            #expect(result.stdout.contains("w1 0"), "\(result.stdout)\(result.stderr)")
            let before = try #require(try JSONSerialization.jsonObject(with: cli.read("before.json") ?? Data()) as? [String: Any])
            let waiting = try #require(before["waiting"] as? [[String: Any]])
            #expect(waiting.map { $0["agent"] as? String } == ["ghost", "w1"], "\(waiting)")
            #expect(waiting.last?["behind"] as? [String] == ["holder", "ghost"])
            let after = try #require(try JSONSerialization.jsonObject(with: cli.read("after.json") ?? Data()) as? [String: Any])
            #expect((after["waiting"] as? [[String: Any]])?.map { $0["agent"] as? String } == ["w1"], "\(after)")
        }
    }
}
