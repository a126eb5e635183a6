import Foundation
import ScopeLockCore
import Testing

/// The race workload: one process per worker on overlapping scopes, each acquiring, holding briefly and
/// releasing in a loop. From the intervals each surely held its lock, it counts overlapping exclusive grants
/// that coexisted. `RaceTests` runs it on the file store, `EtcdTests` on etcd.
enum RaceWorkload {
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

    struct Grant {
        let agent: String
        let start: Int
        let end: Int
    }

    struct Outcome {
        let cli: CLI
        let grants: [Grant]
        /// Pairs of workers whose scopes overlap, as the engine decides.
        let overlappingPairs: Int
        let doubleGrants: Int
        /// What the workers wrote to stderr, and any failed acquire or release.
        let errors: String
    }

    /// Runs the workload on `store` (nil: the file store in the test's folder), with `during` (bash) started beside it.
    static func run(store: String? = nil, iterations: Int, during: String = "") async throws -> Outcome {
        let cli = try CLI()
        var script = "set -u\n" + (store.map { "export SCOPELOCK_STORE='\($0)'\n" } ?? "") + during
        for (agent, entries) in scopes {
            let quoted = entries.map { "'\($0)'" }.joined(separator: " ")
            script += """
            (
              for i in $(seq \(iterations)); do
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
        #expect(result.status == 0, "\(result.stderr)")
        // A waiting acquire says on stderr whom it waits for every few seconds: progress, not an error.
        let errors = String(decoding: cli.read("race-errors.txt") ?? Data(), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !($0.contains(": waiting for ") && $0.hasSuffix(" so far)")) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let grants = result.stdout.split(separator: "\n").compactMap { line -> Grant? in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let start = Int(parts[1]), let end = Int(parts[2]) else { return nil }
            return Grant(agent: String(parts[0]), start: start, end: end)
        }

        var overlapping: Set<String> = []
        for left in scopes {
            for right in scopes where left.agent < right.agent {
                let clash = try left.entries.contains { a in
                    try right.entries.contains { b in
                        try ScopeEntry(parsing: a).overlapWitness(with: try ScopeEntry(parsing: b)) != nil
                    }
                }
                if clash { overlapping.insert(left.agent + "|" + right.agent) }
            }
        }
        var doubleGrants = 0
        let sorted = grants.sorted { $0.start < $1.start }
        for (index, grant) in sorted.enumerated() {
            for later in sorted[(index + 1)...] {
                if later.start >= grant.end { break }
                let key = min(grant.agent, later.agent) + "|" + max(grant.agent, later.agent)
                if grant.agent != later.agent, overlapping.contains(key) { doubleGrants += 1 }
            }
        }
        return Outcome(cli: cli, grants: grants, overlappingPairs: overlapping.count, doubleGrants: doubleGrants, errors: errors)
    }
}
