import Foundation
import Testing

/// `acquire`s killed with SIGKILL at random moments leave only whole records, and the next command
/// cleans up their temp files and succeeds.
@Suite(.serialized) struct CrashTests {
    @Test func killedAcquiresLeaveNoTornState() async throws {
        let cli = try CLI()
        let script = """
        for i in $(seq 300); do
          "$SCOPELOCK" acquire "agent$((i % 6))" "src/m$((i % 9))/" "src/f$((i % 4)).go" --task "run $i" >/dev/null 2>&1 &
          pid=$!
          # Kill at a random moment of its life; every tenth runs to the end, so records exist
          # even when a loaded machine starts processes slowly.
          if [ $((i % 10)) -ne 0 ]; then
            sleep "0.0$(( RANDOM % 40 ))"
            kill -9 $pid 2>/dev/null
          fi
          wait $pid 2>/dev/null
        done
        ls -a locks || true
        """
        let result = try await cli.bash(script)
        #expect(result.status == 0)

        // Every record on disk parses (none invalid) and no record is partial.
        let status = try await cli.run(["status", "--json"])
        #expect(status.status == 0)
        let locks = status.json["locks"] as? [[String: Any]] ?? []
        #expect(locks.allSatisfy { $0["state"] as? String == "active" }, "\(status.stdout)")
        let names = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")
        for name in names where name.hasSuffix(".lock") {
            let data = try #require(cli.read("locks/" + name))
            #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "\(name) is torn")
        }
        let temps = names.filter { $0.hasPrefix(".tmp-") }
        print("crash: \(names.filter { $0.hasSuffix(".lock") }.count) records, \(temps.count) temp files left by killed writers")

        // The next command cleans temp files up and succeeds.
        let next = try await cli.run(["acquire", "survivor", "elsewhere/", "--json"])
        #expect(next.status == 0, "\(next.stdout)")
        let after = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")
        #expect(after.filter { $0.hasPrefix(".tmp-") }.isEmpty)
        let epoch = String(decoding: try #require(cli.read("locks/.epoch")), as: UTF8.self)
        let token = try #require((next.json["lock"] as? [String: Any])?["token"] as? Int)
        #expect(Int(epoch.trimmingCharacters(in: .whitespacesAndNewlines)) == token)
        let maxRecordToken = locks.compactMap { ($0["lock"] as? [String: Any])?["token"] as? Int }.max() ?? 0
        #expect(token > maxRecordToken)
    }
}
