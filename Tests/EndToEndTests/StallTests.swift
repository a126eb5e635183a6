import Foundation
import Testing

/// Nothing hangs and nothing is torn: special files beside the records, a holder of the mutex that is stopped,
/// a wall clock stepped back during `--wait`, and a full disk while the event log is appended. Each command
/// runs under `timeout`, so a hang is a failure, not a stuck test run.
@Suite(.timeLimit(.minutes(10))) struct StallTests {
    /// Case 4: a FIFO named `.epoch`, `events.jsonl` or `.mutex` is never opened blocking: `.epoch` and `.mutex`
    /// refuse with an error naming the file; a FIFO log is left unwritten and the change is made.
    @Test func specialFilesBesideTheRecordsNeverHang() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        "$SCOPELOCK" acquire first a.go >/dev/null || exit 9
        mkfifo locks/events.jsonl
        timeout 10 "$SCOPELOCK" acquire second b.go --json > events-fifo.json; echo "events exit $?"
        timeout 10 "$SCOPELOCK" release second --json > release.json; echo "release exit $?"
        rm locks/.epoch && mkfifo locks/.epoch
        timeout 10 "$SCOPELOCK" acquire third c.go --json > epoch-fifo.json; echo "epoch exit $?"
        rm locks/.epoch locks/.mutex && mkfifo locks/.mutex
        timeout 10 "$SCOPELOCK" acquire fourth d.go --json > mutex-fifo.json; echo "mutex exit $?"
        true
        """)
        #expect(result.stdout.contains("events exit 0"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("release exit 0"), "\(result.stdout)")
        #expect(result.stdout.contains("epoch exit 3"), "\(result.stdout)")
        #expect(result.stdout.contains("mutex exit 3"), "\(result.stdout)")
        let epoch = try #require(JSON.object(String(decoding: cli.read("epoch-fifo.json") ?? Data(), as: UTF8.self)))
        let epochError = epoch["error"] as? [String: Any]
        #expect(epochError?["code"] as? String == "invalid_lock" && (epochError?["file"] as? String)?.hasSuffix("locks/.epoch") == true, "\(epoch)")
        let mutex = try #require(JSON.object(String(decoding: cli.read("mutex-fifo.json") ?? Data(), as: UTF8.self)))
        #expect((mutex["error"] as? [String: Any])?["code"] as? String == "unsafe_directory", "\(mutex)")
        #expect(cli.read("locks/third.lock") == nil && cli.read("locks/fourth.lock") == nil)
    }

    /// Case 5: a process stopped while it holds `locks/.mutex` (here `flock(1)`, then SIGSTOP) makes `--wait 2s`
    /// give up with `timeout` (exit 4) in about 2 s, and a command without `--wait` give up after the documented
    /// 10 s with `io_error` naming the holder's pid; after the holder resumes and ends, commands work again.
    @Test func aStoppedMutexHolderHangsNobody() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        "$SCOPELOCK" acquire first a.go >/dev/null || exit 9
        flock -o locks/.mutex sleep 60 &
        holder=$!
        sleep 0.3
        kill -STOP $holder
        start=$(date +%s.%N)
        timeout 20 "$SCOPELOCK" acquire second b.go --wait 2s --json > waited.json; echo "wait exit $?"
        middle=$(date +%s.%N)
        timeout 30 "$SCOPELOCK" release first --json > plain.json; echo "plain exit $?"
        end=$(date +%s.%N)
        echo "holder $holder"
        python3 -c "print('seconds-waited %.1f' % ($middle - $start)); print('seconds-plain %.1f' % ($end - $middle))"
        child=$(pgrep -P $holder)
        kill -CONT $holder; kill $holder $child; wait $holder 2>/dev/null
        timeout 10 "$SCOPELOCK" acquire second b.go --json > after.json; echo "after exit $?"
        """)
        #expect(result.stdout.contains("wait exit 4"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("plain exit 3"), "\(result.stdout)")
        #expect(result.stdout.contains("after exit 0"), "\(result.stdout)")
        let lines = result.stdout.split(separator: "\n")
        let holder = try #require(lines.first { $0.hasPrefix("holder ") }?.split(separator: " ").last)
        let waited = Double(lines.first { $0.hasPrefix("seconds-waited ") }?.split(separator: " ").last ?? "") ?? 0
        let plain = Double(lines.first { $0.hasPrefix("seconds-plain ") }?.split(separator: " ").last ?? "") ?? 0
        #expect(waited >= 1.9 && waited < 8, "--wait 2s took \(waited) s")
        #expect(plain >= 9.5 && plain < 20, "the standard bound took \(plain) s")
        let timedOut = try #require(JSON.object(String(decoding: cli.read("waited.json") ?? Data(), as: UTF8.self)))
        #expect((timedOut["error"] as? [String: Any])?["code"] as? String == "timeout", "\(timedOut)")
        let plainError = try #require(JSON.object(String(decoding: cli.read("plain.json") ?? Data(), as: UTF8.self))?["error"] as? [String: Any])
        #expect(plainError["code"] as? String == "io_error")
        #expect((plainError["message"] as? String)?.contains("process \(holder)") == true, "\(plainError)")
    }

    /// Case 6: the `--wait` deadline is monotonic: with the wall clock stepped back an hour a second into
    /// `--wait 3s` (libfaketime, the monotonic clock left alone), the waiter still gives up after about 3 s.
    @Test func aClockStepBackDoesNotStretchTheWait() async throws {
        let cli = try CLI()
        let library = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"]
            .first { FileManager.default.fileExists(atPath: $0) }
        let preload = try #require(library, "libfaketime is not installed (.ci/run installs the faketime package)")
        let result = try await cli.bash("""
        "$SCOPELOCK" acquire holder x.go >/dev/null || exit 9
        echo "+0" > offset
        start=$(date +%s.%N)
        LD_PRELOAD=\(preload) FAKETIME_TIMESTAMP_FILE=$PWD/offset FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \\
          timeout 30 "$SCOPELOCK" acquire waiter x.go --wait 3s --json > waited.json &
        waiter=$!
        sleep 1
        echo "-3600" > offset
        wait $waiter; echo "wait exit $?"
        end=$(date +%s.%N)
        python3 -c "print('seconds-waited %.1f' % ($end - $start))"
        """)
        #expect(result.stdout.contains("wait exit 4"), "\(result.stdout) \(result.stderr)")
        let waited = Double(result.stdout.split(separator: "\n").first { $0.hasPrefix("seconds-waited ") }?.split(separator: " ").last ?? "") ?? 0
        #expect(waited >= 2.9 && waited < 10, "--wait 3s took \(waited) s across a clock step")
    }

    /// Case 9: a write of `events.jsonl` cut short (a file size limit standing in for a full disk) leaves no
    /// half line: the log is cut back to its last whole line, and the next event starts a line of its own.
    @Test func aShortEventWriteLeavesNoHalfLine() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        "$SCOPELOCK" acquire first a.go >/dev/null || exit 9
        python3 - <<'EOF'
        import os
        path = "locks/events.jsonl"
        size = os.path.getsize(path)
        with open(path, "a") as log:
            pad = 1990 - size - len('{"pad":""}\\n')
            log.write('{"pad":"' + "x" * pad + '"}\\n')
        print("size", os.path.getsize(path))
        EOF
        prlimit --fsize=2000 "$SCOPELOCK" acquire second b.go --json > limited.json; echo "limited exit $?"
        "$SCOPELOCK" acquire third c.go --json > after.json; echo "after exit $?"
        """)
        #expect(result.stdout.contains("size 1990"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("limited exit 0"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("after exit 0"), "\(result.stdout)")
        let log = cli.read("locks/events.jsonl") ?? Data()
        #expect(log.last == UInt8(ascii: "\n"))
        let lines = log.split(separator: UInt8(ascii: "\n"))
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line))) != nil, "a torn line: \(String(decoding: line, as: UTF8.self))")
        }
        #expect(lines.contains { String(decoding: $0, as: UTF8.self).contains("\"third\"") })
    }
}
