import Foundation
import ScopeLockCore
import Testing

/// Twenty processes doing random operations for a bounded time (5 minutes by default,
/// `SCOPELOCK_SOAK_SECONDS` to change it): waiting, plain and shared acquires, `run`, `--add`, partial releases,
/// locks left to expire, renewals, reads and prunes. Afterwards every invariant is checked, from the intervals
/// the workers surely held their entries and from `events.jsonl` (`EventLogAudit`).
@Suite(.serialized) struct SoakTests {
    static let scopes = [
        "src/a/", "src/a/x.go", "src/**/*.go", "src/b/", "src/b/y.go docs/guide.md", "docs/*.md", "docs/",
        "src/{a,b}/z.go", "tools/", "tools/gen/*.py", "src/c/[a-m]*.go", "src/c/",
    ]
    static let workers = 20
    static var seconds: Int { Int(ProcessInfo.processInfo.environment["SCOPELOCK_SOAK_SECONDS"] ?? "") ?? 300 }

    @Test func randomOperationsKeepEveryInvariant() async throws {
        let cli = try CLI()
        let scopeArray = Self.scopes.map { "'\($0)'" }.joined(separator: " ")
        var script = "scopes=(\(scopeArray))\nend=$((SECONDS + \(Self.seconds)))\n" + RaceWorkload.holdScript
        // Worker i takes exclusive locks as `w<i>` and shared ones as `r<i>`: events carry no mode, names do.
        // Each logs the entries it surely held and when (`held-<agent>.txt`); exit statuses other than 0, 1
        // (refused) and 4 (gave up) are unexpected.
        script += #"""
        worker() {
          local a=$1 r=$2 rc s t op mode flag t1 t2
          now() { REPLY=${EPOCHREALTIME//[!0-9]/}000; }
          held() { echo "$1 $2 $3 ${@:4}" >> held-$1.txt; }
          hold() { sleep 0.0$((RANDOM % 4)); }
          while [ $SECONDS -lt $end ]; do
            s=$((RANDOM % ${#scopes[@]})) t=$((RANDOM % ${#scopes[@]})) op=$((RANDOM % 14)) rc=0
            case $op in
              0|1|2|3|4)
                local who=$a flag=""
                [ $op -eq 4 ] && { who=$r; flag=--shared; }
                "$SCOPELOCK" acquire $who ${scopes[$s]} $flag --ttl 30s --wait 1s >/dev/null 2>>errors-$a || rc=$?
                if [ $rc -eq 0 ]; then
                  now; t1=$REPLY; hold; now; held $who $t1 $REPLY ${scopes[$s]}
                  if [ $((RANDOM % 3)) -eq 0 ]; then "$SCOPELOCK" renew $who --ttl 30s >/dev/null 2>>errors-$a || rc=$?; fi
                  "$SCOPELOCK" release $who >/dev/null 2>>errors-$a || rc=$?
                fi ;;
              5) "$SCOPELOCK" acquire $a ${scopes[$s]} --ttl 1s >/dev/null 2>>errors-$a || rc=$? ;;  # left to expire
              6) "$SCOPELOCK" status --json >/dev/null 2>>errors-$a || rc=$?
                 "$SCOPELOCK" owner src/a/x.go docs/guide.md >/dev/null 2>>errors-$a || rc=$? ;;
              7) "$SCOPELOCK" check $a ${scopes[$s]} >/dev/null 2>>errors-$a || rc=$? ;;
              8) "$SCOPELOCK" prune >/dev/null 2>>errors-$a || rc=$? ;;
              9) "$SCOPELOCK" release $a --token 999999999 >/dev/null 2>>errors-$a || rc=$? ;;
              10)  # run a command that finds its lock and holds it
                "$SCOPELOCK" run $a ${scopes[$s]} --wait 2s -- ./hold.sh ${scopes[$s]} >/dev/null 2>>errors-$a || rc=$? ;;
              11|12)  # grow by another scope with --add (waiting 1s or not at all), give back the first, then the rest
                "$SCOPELOCK" acquire $a ${scopes[$s]} --ttl 30s --wait 1s >/dev/null 2>>errors-$a || rc=$?
                if [ $rc -eq 0 ]; then
                  now; t1=$REPLY; hold
                  local patience=""
                  [ $op -eq 12 ] && patience="--wait 1s"
                  "$SCOPELOCK" acquire $a ${scopes[$t]} --add $patience >/dev/null 2>>errors-$a || rc=$?
                  # Entries of the first scope that the second also names stay held: give back only the others.
                  local give=() e
                  for e in ${scopes[$s]}; do [[ " ${scopes[$t]} " == *" $e "* ]] || give+=("$e"); done
                  if [ $rc -eq 0 ] && [ ${#give[@]} -gt 0 ]; then
                    now; t2=$REPLY; hold; now; held $a $t1 $REPLY ${scopes[$s]}
                    "$SCOPELOCK" release $a "${give[@]}" >/dev/null 2>>errors-$a || rc=$?
                    hold; now; held $a $t2 $REPLY ${scopes[$t]}
                  else
                    now; held $a $t1 $REPLY ${scopes[$s]}
                  fi
                  "$SCOPELOCK" release $a >/dev/null 2>>errors-$a || rc=$?
                fi ;;
              13) "$SCOPELOCK" acquire $a ${scopes[$s]} --ttl 30s >/dev/null 2>>errors-$a || rc=$?  # plain: refused while anything is in the way
                  if [ $rc -eq 0 ]; then now; t1=$REPLY; hold; now; held $a $t1 $REPLY ${scopes[$s]}; "$SCOPELOCK" release $a >/dev/null 2>>errors-$a || rc=$?; fi ;;
            esac
            case $rc in 0|1|4) ;; *) echo "$a op $op exit $rc: $(tail -n 1 errors-$a)" >> unexpected ;; esac
          done
        }
        """#
        script += "\nfor i in $(seq \(Self.workers)); do worker w$i r$i & done\nwait\n"
        script += """
        ls locks | grep '\\.wait$' > waiters-left || true
        "$SCOPELOCK" prune >/dev/null
        cat held-* 2>/dev/null
        """
        let result = try await cli.bash(script)
        #expect(result.status == 0, "\(result.stderr)")
        let unexpected = String(decoding: cli.read("unexpected") ?? Data(), as: UTF8.self)
        #expect(unexpected.isEmpty, "unexpected exit codes: \(unexpected.prefix(2000))")

        // Exclusion: from the intervals each agent surely held its entries, no two overlapping grants coexisted
        // unless both were shared.
        let grants = result.stdout.split(separator: "\n").compactMap { line -> RaceWorkload.Grant? in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 4, let start = Int(parts[1]), let end = Int(parts[2]) else { return nil }
            return RaceWorkload.Grant(agent: parts[0], start: start, end: end, entries: Array(parts[3...]))
        }
        #expect(grants.count >= Self.seconds / 3, "only \(grants.count) intervals held")
        let isShared = { (agent: String) in agent.hasPrefix("r") }
        var overlap = EntryOverlap()
        var doubleGrants = 0
        let sorted = grants.sorted { $0.start < $1.start }
        for (index, grant) in sorted.enumerated() {
            for later in sorted[(index + 1)...] {
                if later.start >= grant.end { break }
                if grant.agent != later.agent, !(isShared(grant.agent) && isShared(later.agent)),
                   overlap.any(grant.entries, later.entries) { doubleGrants += 1 }
            }
        }
        #expect(doubleGrants == 0)

        // From the log: no grant overlapped another lock, no waiter was overtaken, fencing tokens increase; and
        // the run did queue, hand over, give up, grow and shrink. Every waiter left the queue.
        let log = String(decoding: cli.read("locks/events.jsonl") ?? Data(), as: UTF8.self)
        let audit = try EventLogAudit(log: log, isShared: isShared)
        #expect(audit.doubleGrants.isEmpty, "\(audit.doubleGrants.prefix(5))")
        #expect(audit.overtakings.isEmpty, "\(audit.overtakings.prefix(5))")
        #expect(audit.tokensOutOfOrder.isEmpty, "\(audit.tokensOutOfOrder.prefix(5))")
        #expect(audit.handoffs > 0 && audit.grantedInOrder > 0 && audit.giveUps > 0, "\(audit)")
        let runs = RaceWorkload.lines("runs.txt", in: cli)
        #expect(audit.additions > 0 && audit.partialReleases > 0 && runs > 0, "\(audit), \(runs) runs")
        let waitersLeft = String(decoding: cli.read("waiters-left") ?? Data(), as: UTF8.self)
        #expect(waitersLeft.isEmpty, "waiters never left the queue: \(waitersLeft)")
        print(
            "soak: \(Self.workers) processes for \(Self.seconds)s, \(grants.count) intervals held (\(runs) under run), "
                + "\(doubleGrants) double grants; events: \(audit)"
        )

        // Every record parses; no temp file is left after the last change.
        let status = try await cli.run(["status", "--json"])
        #expect((status.json["locks"] as? [[String: Any]] ?? []).allSatisfy { $0["state"] as? String != "invalid" })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")) ?? []
        #expect(!names.contains { $0.hasPrefix(".tmp-") })
    }
}
