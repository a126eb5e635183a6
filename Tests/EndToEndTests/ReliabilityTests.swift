import Foundation
import Testing

/// Holders paused past their TTL, full disks and hostile sizes: refusals are clear, nothing is torn,
/// and memory stays bounded.
@Suite struct ReliabilityTests {
    private func object(_ cli: CLI, _ file: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: cli.read(file) ?? Data())) as? [String: Any] ?? [:]
    }

    /// A holder stopped (SIGSTOP) past its TTL loses the lock to another agent; when it resumes, its renew
    /// and its release with its token are both `lost`, and the new holder's record is byte-for-byte unchanged.
    @Test func pausedHolderLosesItsLockCleanly() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        (
          "$SCOPELOCK" acquire agent-a shared/ --ttl 1s --json > a-acquire.json
          kill -STOP $BASHPID
          token=$(python3 -c 'import json; print(json.load(open("a-acquire.json"))["lock"]["token"])')
          "$SCOPELOCK" renew agent-a --token "$token" --json > a-renew.json
          "$SCOPELOCK" release agent-a --token "$token" --json > a-release.json
        ) &
        holder=$!
        until [ "$(ps -o stat= -p $holder | cut -c1)" = "T" ]; do sleep 0.05; done
        sleep 1.5
        "$SCOPELOCK" acquire agent-b shared/ --json > b-acquire.json
        cp locks/agent-b.lock b-before.lock
        kill -CONT $holder
        wait $holder
        cmp -s locks/agent-b.lock b-before.lock && echo unchanged
        """)
        #expect(result.stdout.contains("unchanged"), "\(result.stdout) \(result.stderr)")
        let taken = object(cli, "b-acquire.json")
        #expect(taken["ok"] as? Bool == true, "\(taken)")
        #expect((taken["warnings"] as? [[String: Any]])?.first?["code"] as? String == "overwrote_expired")
        for file in ["a-renew.json", "a-release.json"] {
            let answer = object(cli, file)
            #expect((answer["error"] as? [String: Any])?["code"] as? String == "lost", "\(file): \(answer)")
        }
    }

    /// A full disk (a 64 KiB tmpfs, filled) makes acquire an `io_error`; old records stay intact and no
    /// partial record appears.
    @Test func fullDiskIsAnIOErrorAndTearsNothing() async throws {
        let cli = try CLI()
        let result = try await cli.bash("""
        set -e
        mkdir -p small
        mount -t tmpfs -o size=64k tmpfs small || { echo "cannot mount"; exit 0; }
        trap 'umount small' EXIT
        "$SCOPELOCK" acquire keeper a/ -o small --json > keeper.json
        cp small/locks/keeper.lock keeper-before.lock
        dd if=/dev/zero of=small/filler bs=1k count=128 2>/dev/null || true
        "$SCOPELOCK" acquire newcomer b/ -o small --json > newcomer.json || echo "exit $?"
        "$SCOPELOCK" renew keeper --ttl 2h -o small --json > renew.json || echo "renew exit $?"
        cmp -s small/locks/keeper.lock keeper-before.lock && echo "keeper intact"
        ls -a small/locks
        """)
        guard !result.stdout.contains("cannot mount") else {
            Issue.record("tmpfs could not be mounted here; the prlimit test below covers a full disk")
            return
        }
        #expect(result.stdout.contains("exit 3"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("renew exit 3"))
        #expect(result.stdout.contains("keeper intact"))
        #expect(!result.stdout.contains("newcomer.lock") && !result.stdout.contains(".tmp-"), "\(result.stdout)")
        #expect((object(cli, "newcomer.json")["error"] as? [String: Any])?["code"] as? String == "io_error")
    }

    /// A file size limit (`prlimit --fsize`) makes the record write fail: `io_error`, nothing torn.
    @Test func fileSizeLimitIsAnIOError() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "keeper", "a/"]).status == 0)
        let before = try #require(cli.read("locks/keeper.lock"))
        let result = try await cli.bash(#"prlimit --fsize=64 "$SCOPELOCK" acquire newcomer b/ --task "a task long enough to pass the limit" --json"#)
        #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
        #expect(cli.read("locks/keeper.lock") == before)
        #expect(cli.read("locks/newcomer.lock") == nil)
        #expect(try await cli.run(["acquire", "newcomer", "b/"]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")
        #expect(!names.contains { $0.hasPrefix(".tmp-") })
    }

    /// Peak memory of one `scopelock` run, in KiB, with its exit status.
    private func measured(_ cli: CLI, _ arguments: String) async throws -> (status: Int32, maxRSS: Int, stdout: String) {
        let result = try await cli.bash("""
        python3 - <<'PY'
        import resource, subprocess, os, sys
        done = subprocess.run([os.environ["SCOPELOCK"]] + \(arguments), capture_output=True, timeout=600)
        print(done.returncode)
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        sys.stdout.write(done.stdout.decode(errors="replace"))
        PY
        """)
        let lines = result.stdout.split(separator: "\n", maxSplits: 2).map(String.init)
        guard lines.count >= 2 else {
            Issue.record("the measured run printed no status: \(result.stdout.prefix(500)) \(result.stderr.prefix(2000))")
            return (-1, Int.max, "")
        }
        return (Int32(lines[0]) ?? -1, Int(lines[1]) ?? Int.max, lines.count > 2 ? lines[2] : "")
    }

    @Test func hostileSizesGetClearErrorsInBoundedMemory() async throws {
        let cli = try CLI()
        let longGlob = String(repeating: "*a", count: 5_000)
        let deepBraces = String(repeating: "{", count: 5_000) + "a" + String(repeating: "}", count: 5_000)
        for entry in [longGlob, deepBraces] {
            let run = try await measured(cli, #"["acquire", "a", "\#(entry)", "--json"]"#)
            #expect(run.status == 2, "\(entry.prefix(20)): \(run.stdout.prefix(300))")
            #expect(run.maxRSS < 100_000, "\(run.maxRSS) KiB")
        }

        // A 100 MB record (sparse) is invalid without being read.
        try FileManager.default.createDirectory(atPath: cli.directory + "/locks", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: cli.directory + "/locks/huge.lock", contents: nil)
        #expect(truncate(cli.directory + "/locks/huge.lock", 100_000_000) == 0)
        let status = try await measured(cli, #"["status", "--json"]"#)
        #expect(status.status == 0)
        #expect(status.stdout.contains("larger than 1 MiB"), "\(status.stdout)")
        #expect(status.maxRSS < 100_000, "\(status.maxRSS) KiB")
        try FileManager.default.removeItem(atPath: cli.directory + "/locks/huge.lock")

        // A 50 MB manifest is refused by its size; a manifest of 100,000 agents by its count.
        let big = cli.directory + "/big.yaml"
        FileManager.default.createFile(atPath: big, contents: nil)
        #expect(truncate(big, 50_000_000) == 0)
        let fifty = try await measured(cli, #"["plan", "big.yaml", "--json"]"#)
        #expect(fifty.status == 2 && fifty.stdout.contains("larger than"), "\(fifty.stdout)")
        #expect(fifty.maxRSS < 100_000)

        var many = "version: 1\nworkflow: many\nagents:\n"
        for index in 0..<100_000 { many += "- {name: a\(index), files: [f\(index)]}\n" }
        try cli.write("many.yaml", many)
        let crowd = try await measured(cli, #"["plan", "many.yaml", "--json"]"#)
        #expect(crowd.status == 2 && crowd.stdout.contains("100000 agents"), "\(crowd.stdout.prefix(300))")
        #expect(crowd.maxRSS < 1_000_000, "\(crowd.maxRSS) KiB")
    }
}
