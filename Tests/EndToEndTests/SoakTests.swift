import Foundation
import ScopeLockCore
import Testing

/// Twenty processes doing random operations for a bounded time (5 minutes by default,
/// `SCOPELOCK_SOAK_SECONDS` to change it); afterwards every invariant is checked.
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
        var script = "scopes=(\(scopeArray))\nend=$((SECONDS + \(Self.seconds)))\n"
        script += """
        worker() {
          local a=$1
          while [ $SECONDS -lt $end ]; do
            local s=$((RANDOM % ${#scopes[@]})) op=$((RANDOM % 10)) rc=0
            case $op in
              0|1|2|3|4)
                local mode=x flag=""
                [ $op -eq 4 ] && { mode=s; flag=--shared; }
                "$SCOPELOCK" acquire $a ${scopes[$s]} $flag --ttl 30s --wait 1s >/dev/null 2>>errors-$a || rc=$?
                if [ $rc -eq 0 ]; then
                  local t1=$(date +%s%N); sleep 0.0$((RANDOM % 4)); local t2=$(date +%s%N)
                  echo "$a $mode $s $t1 $t2" >> grants-$a
                  if [ $((RANDOM % 3)) -eq 0 ]; then "$SCOPELOCK" renew $a --ttl 30s >/dev/null 2>>errors-$a || rc=$?; fi
                  "$SCOPELOCK" release $a >/dev/null 2>>errors-$a || rc=$?
                fi ;;
              5) "$SCOPELOCK" acquire $a ${scopes[$s]} --ttl 1s >/dev/null 2>>errors-$a || rc=$? ;;  # left to expire
              6) "$SCOPELOCK" status --json >/dev/null 2>>errors-$a || rc=$?
                 "$SCOPELOCK" owner src/a/x.go docs/guide.md >/dev/null 2>>errors-$a || rc=$? ;;
              7) "$SCOPELOCK" check $a ${scopes[$s]} >/dev/null 2>>errors-$a || rc=$? ;;
              8) "$SCOPELOCK" prune >/dev/null 2>>errors-$a || rc=$? ;;
              9) "$SCOPELOCK" release $a --token 999999999 >/dev/null 2>>errors-$a || rc=$? ;;
            esac
            case $rc in 0|1|4) ;; *) echo "$a op $op exit $rc: $(tail -n 1 errors-$a)" >> unexpected ;; esac
          done
        }
        for i in $(seq \(Self.workers)); do worker w$i & done
        wait
        "$SCOPELOCK" prune >/dev/null
        cat grants-* 2>/dev/null
        """
        let result = try await cli.bash(script)
        #expect(result.status == 0, "\(result.stderr)")
        let unexpected = String(decoding: cli.read("unexpected") ?? Data(), as: UTF8.self)
        #expect(unexpected.isEmpty, "unexpected exit codes: \(unexpected.prefix(2000))")

        // Exclusion: from the intervals each worker surely held, no two overlapping grants coexisted
        // unless both were shared.
        struct Grant { let agent: String; let shared: Bool; let scope: Int; let start: Int; let end: Int }
        let grants = result.stdout.split(separator: "\n").compactMap { line -> Grant? in
            let parts = line.split(separator: " ")
            guard parts.count == 5, let scope = Int(parts[2]), let start = Int(parts[3]), let end = Int(parts[4]) else { return nil }
            return Grant(agent: String(parts[0]), shared: parts[1] == "s", scope: scope, start: start, end: end)
        }
        #expect(grants.count >= Self.seconds / 3, "only \(grants.count) grants")
        let entries = try Self.scopes.map { scope in try scope.split(separator: " ").map { try ScopeEntry(parsing: String($0)) } }
        let clash = entries.map { left in
            entries.map { right in left.contains { a in right.contains { a.overlapWitness(with: $0) != nil } } }
        }
        var doubleGrants = 0
        let sorted = grants.sorted { $0.start < $1.start }
        for (index, grant) in sorted.enumerated() {
            for later in sorted[(index + 1)...] {
                if later.start >= grant.end { break }
                if grant.agent != later.agent, clash[grant.scope][later.scope], !(grant.shared && later.shared) { doubleGrants += 1 }
            }
        }
        #expect(doubleGrants == 0)
        print("soak: \(Self.workers) processes for \(Self.seconds)s, \(grants.count) grants, \(doubleGrants) double grants")

        // Every record parses; no temp file is left after the last change; event tokens increase.
        let status = try await cli.run(["status", "--json"])
        #expect((status.json["locks"] as? [[String: Any]] ?? []).allSatisfy { $0["state"] as? String != "invalid" })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")) ?? []
        #expect(!names.contains { $0.hasPrefix(".tmp-") })
        let events = String(decoding: cli.read("locks/events.jsonl") ?? Data(), as: UTF8.self).split(separator: "\n")
        let tokens = events.compactMap { line -> Int? in
            guard let event = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return -1 }
            return event["event"] as? String == "acquire" ? event["token"] as? Int : nil
        }
        #expect(!tokens.contains(-1), "an events.jsonl line does not parse")
        #expect(tokens == tokens.sorted() && Set(tokens).count == tokens.count, "acquire tokens are not strictly increasing")
    }
}
