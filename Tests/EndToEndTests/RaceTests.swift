import Foundation
import ScopeLockCore
import Testing

/// Many real `scopelock` processes race on overlapping scopes; from the intervals each surely held its
/// lock, no two overlapping exclusive grants may coexist.
@Suite(.serialized) struct RaceTests {
    /// Each worker's agent and scope: files, directories and globs that overlap in many ways.
    static let scopes: [(agent: String, entries: [String])] = [
        ("w0", ["src/a/"]),
        ("w1", ["src/a/x.go"]),
        ("w2", ["src/b/**/*.go"]),
        ("w3", ["src/a/*.go", "docs/"]),
        ("w4", ["src/b/"]),
        ("w5", ["src/b/y.go", "docs/guide.md"]),
        ("w6", ["src/{a,b}/z.go"]),
        ("w7", ["docs/*.md"]),
        ("w8", ["src/a/x.go", "src/b/y.go"]),
        ("w9", ["src/c/"]),
        ("w10", ["src/c/[a-m]*.go"]),
        ("w11", ["src/c/**/*.go", "tools/"]),
    ]
    static let iterations = 36

    @Test func noOverlappingGrantsCoexist() async throws {
        let cli = try CLI()
        var script = "set -u\n"
        for (agent, entries) in Self.scopes {
            let quoted = entries.map { "'\($0)'" }.joined(separator: " ")
            script += """
            (
              for i in $(seq \(Self.iterations)); do
                "$SCOPELOCK" acquire \(agent) \(quoted) --wait 90s --ttl 10m >/dev/null 2>>race-errors.txt || { echo "acquire failed: $?" >> race-errors.txt; continue; }
                start=$(date +%s%N)
                sleep 0.00$((RANDOM % 5))
                end=$(date +%s%N)
                echo "\(agent) $start $end" >> race-\(agent).txt
                "$SCOPELOCK" release \(agent) >/dev/null 2>>race-errors.txt || echo "release failed" >> race-errors.txt
                sleep 0.0$((RANDOM % 3))
              done
            ) &

            """
        }
        script += "wait\ncat race-w*.txt\n"
        let result = try await cli.bash(script)
        #expect(result.status == 0)
        let errors = String(decoding: cli.read("race-errors.txt") ?? Data(), as: UTF8.self)
        #expect(errors.isEmpty, "\(errors)")

        struct Grant { let agent: String; let start: Int; let end: Int }
        let grants = result.stdout.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return Grant(agent: String(parts[0]), start: Int(parts[1])!, end: Int(parts[2])!)
        }
        #expect(grants.count >= 400, "only \(grants.count) grants")

        // Which workers' scopes overlap, decided by the engine itself.
        var overlapping: Set<String> = []
        for left in Self.scopes {
            for right in Self.scopes where left.agent < right.agent {
                let clash = try left.entries.contains { a in
                    try right.entries.contains { b in
                        try ScopeEntry(parsing: a).overlapWitness(with: try ScopeEntry(parsing: b)) != nil
                    }
                }
                if clash { overlapping.insert(left.agent + "|" + right.agent) }
            }
        }
        #expect(overlapping.count >= 20, "only \(overlapping.count) overlapping pairs")

        var doubleGrants = 0
        let sorted = grants.sorted { $0.start < $1.start }
        for (index, grant) in sorted.enumerated() {
            for later in sorted[(index + 1)...] {
                if later.start >= grant.end { break }
                let key = min(grant.agent, later.agent) + "|" + max(grant.agent, later.agent)
                if grant.agent != later.agent, overlapping.contains(key) { doubleGrants += 1 }
            }
        }
        #expect(doubleGrants == 0, "\(doubleGrants) overlapping grants coexisted among \(grants.count)")
        print("race: \(grants.count) grants by \(Self.scopes.count) processes, \(doubleGrants) double grants")

        let status = try await cli.run(["status", "--json"])
        #expect(status.status == 0)
        #expect((status.json["locks"] as? [[String: Any]])?.isEmpty == true)
    }
    /// Readers take no lock: a record renamed over or removed while one reads it is a record that
    /// changed, never an unreadable one. Writers renew and release in a loop while readers check.
    @Test func readersNeverSeeAReplacedRecordAsInvalid() async throws {
        let cli = try CLI()
        let script = """
        end=$((SECONDS + 6))
        for w in 1 2 3 4; do
          ( while [ $SECONDS -lt $end ]; do
              "$SCOPELOCK" acquire writer$w src/w$w/ --ttl 10m >/dev/null 2>>errors.txt
              for i in 1 2 3; do "$SCOPELOCK" renew writer$w >/dev/null 2>>errors.txt; done
              "$SCOPELOCK" release writer$w >/dev/null 2>>errors.txt
            done ) &
        done
        for r in 1 2 3 4; do
          ( while [ $SECONDS -lt $end ]; do
              "$SCOPELOCK" check reader$r docs/ >/dev/null 2>>errors.txt || echo "check exit $?" >> errors.txt
              "$SCOPELOCK" status --json > status-$r.json 2>>errors.txt || echo "status exit $?" >> errors.txt
              grep -q '"invalid"' status-$r.json && echo "status showed an invalid record" >> errors.txt
            done ) &
        done
        wait
        """
        let result = try await cli.bash(script)
        #expect(result.status == 0)
        let errors = String(decoding: cli.read("errors.txt") ?? Data(), as: UTF8.self)
        #expect(errors.isEmpty, "\(errors.prefix(2000))")
    }
}
