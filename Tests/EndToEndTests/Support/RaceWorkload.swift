import Foundation
import ScopeLockCore
import Testing

/// The race workload: one process per worker on overlapping scopes, each acquiring, holding briefly and
/// releasing in a loop. Each worker logs the intervals in which it surely held which entries (from the return
/// of the command that granted them to the start of the one that gave them back); overlapping entries of two
/// workers held in overlapping intervals are a double grant. `RaceTests` runs it on the file store, `EtcdTests`
/// on etcd.
///
/// With `sessions`, each round a worker picks one of: a waiting acquire, `run` of a command that checks it holds
/// the lock, a lock grown with `acquire --add` (half of the additions waiting 1s) and shrunk by a partial
/// release, a lock whose extra entry is given back first, a plain acquire (refused while a lock or an earlier
/// waiter is in the way) and an impatient `--wait 1s` (which may give up). On the file store, `events.jsonl` is
/// then audited (`EventLogAudit`): no grant overlapped another lock, and no waiter was overtaken by a later
/// overlapping one.
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
    /// The entry each worker adds to its scope with `--add` (or takes with it and gives back first), with
    /// sessions: each overlaps some other worker's scope.
    static let extras = [
        "tools/gen/a.py", "docs/api.md", "src/c/d/e.go", "tools/run.sh", "docs/guide.md", "src/c/a.go",
        "tools/", "src/a/x.go", "docs/*.md", "src/b/y.go", "tools/gen/", "docs/",
    ]
    static let iterations = 36
    /// Rounds per worker with sessions (each round runs more commands).
    static let sessionIterations = 20

    /// An interval in which `agent` surely held `entries`.
    struct Grant {
        let agent: String
        let start: Int
        let end: Int
        let entries: [String]
    }

    struct Outcome {
        let cli: CLI
        let grants: [Grant]
        /// Pairs of workers whose scopes overlap, as the engine decides.
        let overlappingPairs: Int
        let doubleGrants: Int
        /// What the workers wrote to stderr, and any failed acquire or release.
        let errors: String
        /// The audit of `events.jsonl` (file store only).
        let audit: EventLogAudit?
        /// Waiter files left in `locks/` after every worker ended (file store only): each is a waiter that
        /// never left the queue.
        let waitersLeft: [String]
        /// Commands that ran under `run` and found their lock.
        let runs: Int
    }

    /// The number of lines of a file in the test's folder.
    static func lines(_ name: String, in cli: CLI) -> Int {
        String(decoding: cli.read(name) ?? Data(), as: UTF8.self).split(separator: "\n").count
    }

    /// Runs the workload on `store` (nil: the file store in the test's folder), with `during` (bash) started
    /// beside it; `sessions` mixes in `run`, `--add`, partial releases, plain and impatient acquires.
    static func run(store: String? = nil, iterations: Int, sessions: Bool = false, during: String = "") async throws -> Outcome {
        let cli = try CLI()
        var script = "set -u\n" + (store.map { "export SCOPELOCK_STORE='\($0)'\n" } ?? "") + during
        script += sessions ? holdScript + sessionWorker : classicWorker
        for (index, (agent, entries)) in scopes.enumerated() {
            let quoted = entries.map { "'\($0)'" }.joined(separator: " ")
            script += "worker \(agent) \(iterations) '\(extras[index])' \(quoted) &\n"
        }
        script += "wait\ncat held-*.txt\n"
        let result = try await cli.bash(script)
        #expect(result.status == 0, "\(result.stderr)")
        // A waiting acquire says on stderr whom it waits for every few seconds: progress, not an error.
        let errors = String(decoding: cli.read("race-errors.txt") ?? Data(), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !($0.contains(": waiting for ") && $0.hasSuffix(" so far)")) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let grants = result.stdout.split(separator: "\n").compactMap { line -> Grant? in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 4, let start = Int(parts[1]), let end = Int(parts[2]) else { return nil }
            return Grant(agent: parts[0], start: start, end: end, entries: Array(parts[3...]))
        }

        var overlap = EntryOverlap()
        var overlapping = 0
        for left in scopes {
            for right in scopes where left.agent < right.agent && overlap.any(left.entries, right.entries) { overlapping += 1 }
        }
        var doubleGrants = 0
        let sorted = grants.sorted { $0.start < $1.start }
        for (index, grant) in sorted.enumerated() {
            for later in sorted[(index + 1)...] {
                if later.start >= grant.end { break }
                if grant.agent != later.agent, overlap.any(grant.entries, later.entries) { doubleGrants += 1 }
            }
        }

        var audit: EventLogAudit?
        var waitersLeft: [String] = []
        if store == nil {
            audit = try EventLogAudit(log: String(decoding: cli.read("locks/events.jsonl") ?? Data(), as: UTF8.self))
            waitersLeft = ((try? FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")) ?? [])
                .filter { $0.hasSuffix(".wait") }
        }
        return Outcome(
            cli: cli, grants: grants, overlappingPairs: overlapping, doubleGrants: doubleGrants, errors: errors, audit: audit,
            waitersLeft: waitersLeft, runs: lines("runs.txt", in: cli)
        )
    }

    /// Writes `hold.sh`, the command the workers `run`: it must find its own lock active with its token (else it
    /// says so on stderr and exits 9); then it holds it a moment and logs the interval, as the workers do, and
    /// counts itself in `runs.txt`.
    static let holdScript = #"""
    cat > hold.sh <<'HOLD'
    #!/bin/bash
    start=${EPOCHREALTIME//[!0-9]/}000
    status=$("$SCOPELOCK" status "$SCOPELOCK_AGENT" --json 2>&1)
    case "$status" in
      *"\"token\":$SCOPELOCK_TOKEN"[,}]*'"state":"active"'*) ;;
      *) echo "$SCOPELOCK_AGENT: run's command does not see its active lock with token $SCOPELOCK_TOKEN: $status" >&2; exit 9 ;;
    esac
    sleep 0.00$((RANDOM % 5))
    end=${EPOCHREALTIME//[!0-9]/}000
    echo "$SCOPELOCK_AGENT $start $end $*" >> held-$SCOPELOCK_AGENT.txt
    echo "$SCOPELOCK_AGENT" >> runs.txt
    HOLD
    chmod +x hold.sh

    """#

    /// `worker AGENT ROUNDS EXTRA ENTRY...`: a waiting acquire, a short hold, a release, a short pause.
    static let classicWorker = #"""
    worker() {
      local a=$1 rounds=$2 start end
      shift 3
      for i in $(seq $rounds); do
        "$SCOPELOCK" acquire $a "$@" --wait 90s --ttl 10m >/dev/null 2>>race-errors.txt || { echo "acquire failed: $?" >> race-errors.txt; continue; }
        start=$(date +%s%N)
        sleep 0.00$((RANDOM % 5))
        end=$(date +%s%N)
        echo "$a $start $end $*" >> held-$a.txt
        "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || echo "release failed" >> race-errors.txt
        sleep 0.0$((RANDOM % 3))
      done
    }

    """#

    /// `worker AGENT ROUNDS EXTRA ENTRY...` with sessions. Times are nanoseconds of the wall clock (as `date +%s%N`), to the
    /// microsecond. What commands that may be refused say on stderr goes to `race-refusals.txt`; their exit status is checked.
    static let sessionWorker = #"""
    worker() {
      local a=$1 rounds=$2 extra=$3 rc t1 t2 t3 t4
      shift 3
      local all=("$@") first=$1
      local rest=("${@:2}" "$extra")
      held() { echo "$a $1 $2 ${@:3}" >> held-$a.txt; }
      now() { REPLY=${EPOCHREALTIME//[!0-9]/}000; }
      fail() { echo "$a round $i: $*" >> race-errors.txt; }
      hold() { sleep 0.00$((RANDOM % 5)); }
      for i in $(seq $rounds); do
        rc=0
        case $((RANDOM % 8)) in
          0|1)  # wait in line for the whole scope
            "$SCOPELOCK" acquire $a "${all[@]}" --wait 90s --ttl 10m >/dev/null 2>>race-errors.txt || { fail "acquire exit $?"; continue; }
            now; t1=$REPLY; hold; now; held $t1 $REPLY "${all[@]}"
            "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || fail "release exit $?" ;;
          2)  # run a command that holds the scope
            "$SCOPELOCK" run $a "${all[@]}" --wait 90s -- ./hold.sh "${all[@]}" >/dev/null 2>>race-errors.txt || fail "run exit $?" ;;
          3|4)  # grow with --add, then give back the first entry. Waiting for the addition while holding the first
                # entry may wait for a waiter that waits for that entry: only half wait, and for 1s at most.
            "$SCOPELOCK" acquire $a "$first" --wait 90s --ttl 10m >/dev/null 2>>race-errors.txt || { fail "acquire exit $?"; continue; }
            now; t1=$REPLY; hold
            local patience=()
            [ $((RANDOM % 2)) -eq 0 ] && patience=(--wait 1s)
            "$SCOPELOCK" acquire $a "${rest[@]}" --add "${patience[@]}" >/dev/null 2>>race-refusals.txt || rc=$?
            case $rc in
              0) now; t2=$REPLY; hold; now; held $t1 $REPLY "$first"
                 "$SCOPELOCK" release $a "$first" >/dev/null 2>>race-errors.txt || fail "partial release exit $?"
                 hold; now; held $t2 $REPLY "${rest[@]}" ;;
              1|4) now; held $t1 $REPLY "$first" ;;
              *) fail "acquire --add exit $rc" ;;
            esac
            "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || fail "release exit $?" ;;
          5)  # take the scope and the extra entry, give back the extra first
            "$SCOPELOCK" acquire $a "${all[@]}" "$extra" --wait 90s --ttl 10m >/dev/null 2>>race-errors.txt || { fail "acquire exit $?"; continue; }
            now; t1=$REPLY; hold; now; held $t1 $REPLY "$extra"
            "$SCOPELOCK" release $a "$extra" >/dev/null 2>>race-errors.txt || fail "partial release exit $?"
            hold; now; held $t1 $REPLY "${all[@]}"
            "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || fail "release exit $?" ;;
          6)  # a plain acquire: refused while a lock or an earlier waiter is in the way
            "$SCOPELOCK" acquire $a "${all[@]}" --ttl 10m >/dev/null 2>>race-refusals.txt || rc=$?
            case $rc in
              0) now; t1=$REPLY; hold; now; held $t1 $REPLY "${all[@]}"
                 "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || fail "release exit $?" ;;
              1) ;;
              *) fail "plain acquire exit $rc" ;;
            esac ;;
          7)  # an impatient waiter: may give up after 1s
            "$SCOPELOCK" acquire $a "${all[@]}" --wait 1s --ttl 10m >/dev/null 2>>race-refusals.txt || rc=$?
            case $rc in
              0) now; t1=$REPLY; hold; now; held $t1 $REPLY "${all[@]}"
                 "$SCOPELOCK" release $a >/dev/null 2>>race-errors.txt || fail "release exit $?" ;;
              4) ;;
              *) fail "impatient acquire exit $rc" ;;
            esac ;;
        esac
        sleep 0.0$((RANDOM % 3))
      done
    }

    """#
}
