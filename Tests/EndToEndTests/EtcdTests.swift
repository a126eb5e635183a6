import Foundation
import ScopeLockCore
import Testing

/// The lock commands against a real 3-member etcd cluster (`--store etcd://...`), started on free loopback ports
/// by `scripts/etcd-cluster` for each test and stopped after it. A machine without etcd fails these tests (CI
/// installs it); they are never skipped.
@Suite(.serialized, .timeLimit(.minutes(20))) struct EtcdTests {
    // MARK: lifecycle

    @Test func lockLifecycleThroughEveryFrontEnd() async throws {
        try await EtcdCluster.with { cluster in
            let cli = try CLI()
            let store = cluster.store("lifecycle")
            let prefix = cluster.prefix("lifecycle")
            func run(_ arguments: [String], input: String? = nil) async throws -> CLI.Result {
                try await cli.run(arguments + ["--store", store], input: input)
            }

            let first = try await run(["acquire", "a", "src/", "--task", "build", "--json"])
            #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
            let firstLock = try #require(first.json["lock"] as? [String: Any])
            let token1 = try #require(firstLock["token"] as? Int)
            #expect(firstLock["task_description"] as? String == "build")

            // The record in etcd is what the file store would write, and reads back as a valid record.
            let stored = try await cluster.value(of: prefix + "/locks/a")
            let record = StoredRecord(agent: "a", path: prefix + "/locks/a", data: [UInt8](stored))
            #expect(record.record?.token == Int64(token1))
            #expect(record.record?.directories == ["src/"])
            #expect(record.record?.ttlSeconds == 3600)
            #expect(String(decoding: stored, as: UTF8.self) == String(decoding: record.record?.fileData() ?? Data(), as: UTF8.self))

            let conflict = try await run(["acquire", "b", "src/x.go", "--json"])
            #expect(conflict.status == 1 && conflict.errorCode == "conflict", "\(conflict.stdout)")
            let detail = try #require(((conflict.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])?.first)
            #expect(detail["agent"] as? String == "a")
            #expect(detail["held"] as? String == "src/")
            #expect(detail["witness"] as? String == "src/x.go")
            let check = try await run(["check", "b", "src/x.go", "--json"])
            #expect(check.status == 1, "\(check.stdout)")

            let renewed = try await run(["renew", "a", "--ttl", "2h", "--token", String(token1), "--json"])
            #expect(renewed.status == 0, "\(renewed.stdout)")
            let renewedLock = try #require(renewed.json["lock"] as? [String: Any])
            #expect(renewedLock["token"] as? Int == token1)
            #expect((renewedLock["expires_at"] as? String ?? "") > (firstLock["expires_at"] as? String ?? "~"))
            #expect(renewedLock["ttl_seconds"] as? Int == 7200, "\(renewed.stdout)")
            // A renew without a TTL renews for the 2 hours the lock was last renewed with, not for its span since the grant.
            let plainStart = Date()
            let plain = try await run(["renew", "a", "--json"])
            let plainLock = try #require(plain.json["lock"] as? [String: Any], "\(plain.stdout)")
            #expect(plainLock["ttl_seconds"] as? Int == 7200, "\(plain.stdout)")
            let plainExpiry = try #require(Timestamp.parse(plainLock["expires_at"] as? String ?? ""))
            #expect(plainExpiry.timeIntervalSince(plainStart) >= 7199 && plainExpiry.timeIntervalSince(Date()) <= 7201, "\(plain.stdout)")

            let status = try await run(["status", "--json"])
            let locks = try #require(status.json["locks"] as? [[String: Any]])
            #expect(locks.count == 1)
            #expect(locks.first?["file"] as? String == prefix + "/locks/a")
            #expect(locks.first?["state"] as? String == "active")
            #expect((locks.first?["seconds_left"] as? Int ?? 0) > 3600)

            let released = try await run(["release", "a", "--token", String(token1), "--json"])
            #expect(released.status == 0, "\(released.stdout)")
            let stale = try await run(["release", "a", "--token", String(token1), "--json"])
            #expect(stale.status == 1 && stale.errorCode == "lost", "\(stale.stdout)")

            let second = try await run(["acquire", "b", "src/x.go", "--json"])
            #expect(second.status == 0, "\(second.stdout)")
            let token2 = try #require((second.json["lock"] as? [String: Any])?["token"] as? Int)
            let again = try await run(["acquire", "b", "src/x.go", "src/y.go", "--json"])
            let token3 = try #require((again.json["lock"] as? [String: Any])?["token"] as? Int)
            #expect(token1 < token2 && token2 < token3, "tokens \(token1) \(token2) \(token3)")

            // serve and mcp act on the same store.
            let serve = try await run(["serve"], input: """
                {"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"c","entries":["docs/"]}}
                {"jsonrpc":"2.0","id":2,"method":"acquire","params":{"agent":"d","entries":["src/x.go"]}}
                {"jsonrpc":"2.0","id":3,"method":"status"}

                """)
            let answers = serve.stdout.split(separator: "\n").compactMap { JSON.object(String($0))?["result"] as? [String: Any] }
            #expect(answers.count == 3, "\(serve.stdout) \(serve.stderr)")
            #expect(answers.first?["ok"] as? Bool == true)
            #expect(((answers.dropFirst().first?["error"] as? [String: Any])?["code"] as? String) == "conflict")
            #expect((answers.last?["locks"] as? [[String: Any]])?.count == 2)
            // Many records: the range answer is large enough to come chunked.
            let many = (1...40).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"acquire","params":{"agent":"many\#($0)","entries":["many/\#($0)/"]}}"# }
            let bulk = try await run(["serve"], input: (many + [#"{"jsonrpc":"2.0","id":41,"method":"status"}"#, #"{"jsonrpc":"2.0","id":42,"method":"clear","params":{"force":true}}"#]).joined(separator: "\n") + "\n")
            let bulkAnswers = bulk.stdout.split(separator: "\n").compactMap { JSON.object(String($0))?["result"] as? [String: Any] }
            #expect(bulkAnswers.prefix(40).allSatisfy { $0["ok"] as? Bool == true }, "\(bulk.stdout)")
            #expect((bulkAnswers.dropFirst(40).first?["locks"] as? [[String: Any]])?.count == 42)
            #expect((bulkAnswers.last?["removed"] as? [String])?.count == 42)
            for (agent, entry) in [("b", "src/x.go"), ("c", "docs/")] {
                #expect(try await run(["acquire", agent, entry, "--json"]).status == 0)
            }

            let mcp = try await run(["mcp"], input: [
                MCPTests.request(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"]]),
                JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]),
                MCPTests.callTool(2, "acquire", ["agent": "e", "entries": ["tools/"]]),
            ].joined(separator: "\n") + "\n")
            let toolAnswer = try #require(mcp.stdout.split(separator: "\n").compactMap { JSON.object(String($0)) }.first { $0["id"] as? Int == 2 })
            #expect(try MCPTests.toolResult(toolAnswer).structured["ok"] as? Bool == true)

            // plan and apply.
            try cli.write("MANIFEST.yaml", """
                version: 1
                workflow: etcd-demo
                agents:
                  - name: dev
                    directories: [lib/]
                  - name: tester
                    files: ["lib/*_test.go"]
                    depends_on: [dev]

                """)
            let plan = try await run(["plan", "MANIFEST.yaml", "--json"])
            #expect(plan.status == 0, "\(plan.stdout)")
            #expect(plan.json["waves"] as? [[String]] == [["dev"], ["tester"]])
            let apply = try await run(["apply", "MANIFEST.yaml", "--json"])
            #expect(apply.status == 0, "\(apply.stdout)")
            let wave2 = try await run(["apply", "MANIFEST.yaml", "--wave", "2", "--json"])
            #expect(wave2.status == 1 && wave2.errorCode == "conflict", "\(wave2.stdout)")

            // A record written by hand that cannot be read is shown and refused on, never dropped.
            try await cluster.put(prefix + "/locks/broken", "{not json")
            let shown = try await run(["status", "broken", "--json"])
            #expect((shown.json["locks"] as? [[String: Any]])?.first?["state"] as? String == "invalid", "\(shown.stdout)")
            let blocked = try await run(["acquire", "g", "other/", "--json"])
            #expect(blocked.status == 3 && blocked.errorCode == "invalid_lock", "\(blocked.stdout)")
            #expect(((blocked.json["error"] as? [String: Any])?["file"] as? String) == prefix + "/locks/broken")
            #expect(try await run(["release", "broken", "--force", "--json"]).status == 0)

            let held = try await run(["status", "--json"])
            #expect(Set((held.json["locks"] as? [[String: Any]] ?? []).compactMap { $0["agent"] as? String }) == ["b", "c", "e", "dev"])
            let refused = try await run(["clear", "--json"])
            #expect(refused.status == 1 && refused.errorCode == "conflict")
            let cleared = try await run(["clear", "--force", "--json"])
            #expect(cleared.status == 0 && cleared.json["directory_removed"] as? Bool == true, "\(cleared.stdout)")
            let empty = try await run(["clear", "--json"])
            #expect(empty.json["directory_removed"] as? Bool == false)
            #expect((try await run(["status", "--json"]).json["locks"] as? [[String: Any]])?.isEmpty == true)
            // Nothing was written beside the scratch files: the locks lived in etcd.
            #expect(cli.tree() == ["MANIFEST.yaml"])

            // SCOPELOCK_STORE chooses the store too; a bad store is invalid input.
            let viaEnvironment = try await cli.run(["acquire", "f", "x/", "--json"], environment: ["SCOPELOCK_STORE": store])
            #expect(viaEnvironment.status == 0, "\(viaEnvironment.stdout)")
            let bad = try await cli.run(["status", "--store", "etcd://nowhere", "--json"])
            #expect(bad.status == 2 && bad.errorCode == "invalid_input", "\(bad.stdout)")
        }
    }

    /// `status --watch` follows an etcd store through its watch: a new lock shows within two seconds.
    @Test func statusWatchFollowsEtcd() async throws {
        try await EtcdCluster.with { cluster in
            let cli = try CLI()
            let run = try await cli.bash("""
                export SCOPELOCK_STORE='\(cluster.store("watch"))'
                "$SCOPELOCK" acquire dev src/app/ > /dev/null
                "$SCOPELOCK" status --watch --json > watch.jsonl & pid=$!
                for i in $(seq 100); do [ -s watch.jsonl ] && break; sleep 0.1; done
                "$SCOPELOCK" acquire tester tests/ > /dev/null
                for i in $(seq 20); do grep -q tester watch.jsonl && break; sleep 0.1; done
                echo "tenths $i"
                kill -TERM $pid; wait $pid; echo "status $?"
                """)
            #expect(run.stdout.contains("status 0"), "SIGTERM ends the watch cleanly: \(run.stdout) \(run.stderr)")
            let lines = String(decoding: cli.read("watch.jsonl") ?? Data(), as: UTF8.self).split(separator: "\n").compactMap { JSON.object(String($0)) }
            let agents = lines.map { (($0["locks"] as? [[String: Any]]) ?? []).compactMap { $0["agent"] as? String } }
            #expect(agents.first == ["dev"], "\(run.stdout)")
            #expect(agents.last == ["dev", "tester"], "the new lock never showed: \(agents)")
        }
    }

    // MARK: races

    @Test func noOverlappingGrantsCoexistOnEtcd() async throws {
        try await EtcdCluster.with { cluster in
            let outcome = try await RaceWorkload.run(store: cluster.store("race"), iterations: RaceWorkload.iterations)
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            #expect(outcome.grants.count >= 400, "only \(outcome.grants.count) grants")
            #expect(outcome.doubleGrants == 0, "\(outcome.doubleGrants) overlapping grants coexisted among \(outcome.grants.count)")
            print("etcd race: \(outcome.grants.count) grants by \(RaceWorkload.scopes.count) processes, \(outcome.doubleGrants) double grants")
        }
    }

    /// The session mix on etcd: waiting acquires (in the store's queue), `run`, `--add`, partial releases, plain
    /// and impatient acquires. etcd keeps no event log, so the check is the intervals each worker surely held.
    @Test func sessionsNeverDoubleGrantOnEtcd() async throws {
        try await EtcdCluster.with { cluster in
            let store = cluster.store("sessions")
            let outcome = try await RaceWorkload.run(store: store, iterations: RaceWorkload.sessionIterations, sessions: true)
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            #expect(outcome.grants.count >= 180, "only \(outcome.grants.count) intervals held")
            #expect(outcome.runs > 0, "no round ran a command under run")
            #expect(outcome.doubleGrants == 0, "\(outcome.doubleGrants) overlapping grants coexisted among \(outcome.grants.count)")
            // Every waiter left the store's queue, and every lock was released.
            let status = try await outcome.cli.run(["status", "--json"], environment: ["SCOPELOCK_STORE": store])
            #expect((status.json["waiting"] as? [[String: Any]])?.isEmpty == true, "\(status.stdout)")
            #expect((status.json["locks"] as? [[String: Any]])?.isEmpty == true, "\(status.stdout)")
            print("etcd sessions race: \(outcome.grants.count) intervals held (\(outcome.runs) under run), \(outcome.doubleGrants) double grants")
        }
    }

    /// The leader is killed with SIGKILL while 12 processes race: the two others elect a new one and go on
    /// serving, with no double grant. With a second member gone the cluster has no quorum: every command fails
    /// with `io_error`, and nothing is granted.
    @Test func aKilledMemberDoesNotStopTheClusterAndLosingQuorumGrantsNothing() async throws {
        try await EtcdCluster.with { cluster in
            let leader = try await cluster.leader()
            let kill = "( sleep 1.5; \(cluster.command("kill \(leader)")); date +%s%N > killed-at.txt ) &\n"
            let outcome = try await RaceWorkload.run(store: cluster.store("kill"), iterations: 16, during: kill)
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            #expect(outcome.doubleGrants == 0, "\(outcome.doubleGrants) overlapping grants coexisted among \(outcome.grants.count)")
            let killedAt = try #require(Int(String(decoding: outcome.cli.read("killed-at.txt") ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
            let after = outcome.grants.filter { $0.start > killedAt }.count
            #expect(after > 0, "no grant after member m\(leader) was killed")
            print("etcd kill: m\(leader) (the leader) killed; \(outcome.grants.count) grants, \(after) after the kill, 0 double grants")

            // A second member gone: no quorum, so no read and no write can be served.
            let second = (1...3).first { $0 != leader }!
            try await cluster.kill(member: second)
            let cli = try CLI()
            let store = cluster.store("kill")
            let started = Date()
            let acquire = try await cli.run(["acquire", "late", "quorum/", "--json", "--store", store])
            #expect(acquire.status == 3 && acquire.errorCode == "io_error", "\(acquire.stdout) \(acquire.stderr)")
            #expect(acquire.json["lock"] == nil)
            let message = ((acquire.json["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("cannot reach the etcd cluster at \(cluster.endpointList)"), "\(message)")
            print("etcd quorum lost: acquire refused with io_error after \(Int(Date().timeIntervalSince(started))) s")
        }
    }

    // MARK: expiry

    /// A lock's lease ends with its TTL: etcd deletes the record, never before `expires_at`, and another agent
    /// then gets the scope without meeting the expired record (no `overwrote_expired`). The first holder's
    /// token is then `lost`.
    @Test func aShortLockIsFreedByItsLease() async throws {
        try await EtcdCluster.with { cluster in
            let cli = try CLI()
            let store = cluster.store("ttl")
            let holder = try await cli.run(["acquire", "holder", "src/", "--ttl", "2s", "--json", "--store", store])
            #expect(holder.status == 0, "\(holder.stdout)")
            let lock = try #require(holder.json["lock"] as? [String: Any])
            let token = try #require(lock["token"] as? Int)
            let expiresAt = try #require(Timestamp.parse(lock["expires_at"] as? String ?? ""))

            let blocked = try await cli.run(["acquire", "other", "src/a.go", "--json", "--store", store])
            #expect(blocked.errorCode == "conflict", "\(blocked.stdout)")

            var vanished: Date?
            for _ in 0..<60 {
                let status = try await cli.run(["status", "--json", "--store", store])
                if (status.json["locks"] as? [[String: Any]])?.isEmpty == true {
                    vanished = Date()
                    break
                }
                try await Task.sleep(nanoseconds: 250_000_000)
            }
            let gone = try #require(vanished, "the record outlived its lease by 15 s")
            #expect(gone >= expiresAt, "the record vanished at \(gone), before its expires_at \(expiresAt)")

            let other = try await cli.run(["acquire", "other", "src/a.go", "--json", "--store", store])
            #expect(other.status == 0, "\(other.stdout)")
            #expect(other.json["warnings"] == nil, "\(other.stdout)")
            #expect(((other.json["lock"] as? [String: Any])?["token"] as? Int ?? 0) > token)
            let renew = try await cli.run(["renew", "holder", "--token", String(token), "--json", "--store", store])
            #expect(renew.status == 1 && renew.errorCode == "lost", "\(renew.stdout)")
        }
    }

    // MARK: an unreachable cluster

    @Test func aStoppedClusterIsAnIOErrorAndNeverAGrant() async throws {
        let cli = try CLI()
        var store = ""
        var endpoints = ""
        try await EtcdCluster.with { cluster in
            store = cluster.store("down")
            endpoints = cluster.endpointList
            let held = try await cli.run(["acquire", "a", "src/", "--json", "--store", store])
            #expect(held.status == 0, "\(held.stdout)")
        }
        // The cluster is stopped now.
        let started = Date()
        for arguments in [["acquire", "b", "docs/"], ["status"], ["release", "a"], ["renew", "a"], ["check", "b", "src/"], ["clear", "--force"]] {
            let result = try await cli.run(arguments + ["--json", "--store", store])
            #expect(result.status == 3 && result.errorCode == "io_error", "\(arguments): \(result.stdout) \(result.stderr)")
            let message = ((result.json["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("cannot reach the etcd cluster at \(endpoints)"), "\(message)")
            #expect(message.contains("connection refused"), "\(message)")
        }
        #expect(Date().timeIntervalSince(started) < 30, "refusals took \(Date().timeIntervalSince(started)) s")
        let serve = try await cli.run(["serve", "--store", store], input: """
            {"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"b","entries":["docs/"]}}

            """)
        let answer = try #require(JSON.object(serve.stdout.split(separator: "\n").first.map(String.init) ?? "")?["result"] as? [String: Any])
        #expect(answer["ok"] as? Bool == false)
        #expect((answer["error"] as? [String: Any])?["code"] as? String == "io_error")
        #expect(cli.tree().isEmpty, "something was written locally: \(cli.tree())")
    }
}

/// A local 3-member etcd cluster run by `scripts/etcd-cluster`, with its data in a fresh temporary folder, on
/// ports chosen at random among free ones (so that two test runs on one machine do not meet).
struct EtcdCluster {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let script = repository + "/scripts/etcd-cluster"

    /// Where the members keep their data, pid files and logs.
    let directory: String
    /// Runs the script (in its own scratch folder).
    let shell: CLI
    /// The first client port (members use it and the next two), and the first peer port.
    let clientPort: Int
    let peerPort: Int
    /// Makes this run's key prefixes its own.
    let run = UUID().uuidString.prefix(8).lowercased()

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts a cluster, runs `body`, and stops the cluster whatever happened.
    static func with(_ body: (EtcdCluster) async throws -> Void) async throws {
        let shell = try CLI()
        var cluster: EtcdCluster?
        var output = ""
        for _ in 0..<5 {
            // Client ports 21000-24999, peer ports 5000 above: below the ephemeral range, away from etcd's 2379.
            let client = Int.random(in: 7000..<8333) * 3
            let candidate = EtcdCluster(directory: shell.directory + "/etcd", shell: shell, clientPort: client, peerPort: client + 5000)
            let started = try await shell.bash(candidate.command("start"))
            if started.status == 0 {
                cluster = candidate
                break
            }
            output = started.stdout + started.stderr
            _ = try? await shell.bash(candidate.command("stop"))
            guard started.status == 4 else { break }  // 4: a port was in use; try others
        }
        guard let cluster else {
            throw StartFailure(description: "the etcd cluster did not start (is etcd-server installed? `apt-get install etcd-server`): " + output)
        }
        do {
            try await body(cluster)
        } catch {
            _ = try? await shell.bash(cluster.command("stop"))
            throw error
        }
        _ = try await shell.bash(cluster.command("stop"))
    }

    /// The shell command running the script's `verb` (start, stop, kill N) on this cluster.
    func command(_ verb: String) -> String {
        "SCOPELOCK_ETCD_CLIENT_PORT=\(clientPort) SCOPELOCK_ETCD_PEER_PORT=\(peerPort) '\(Self.script)' \(verb) '\(directory)'"
    }

    /// The client endpoints, comma-separated as `--store` takes them.
    var endpoints: String { (0..<3).map { "127.0.0.1:\(clientPort + $0)" }.joined(separator: ",") }

    /// The client endpoints as error messages list them.
    var endpointList: String { (0..<3).map { "127.0.0.1:\(clientPort + $0)" }.joined(separator: ", ") }

    /// The key prefix of `name` in this run.
    func prefix(_ name: String) -> String { "/\(name)-\(run)" }

    /// The `--store` value for the prefix of `name`.
    func store(_ name: String) -> String { "etcd://\(endpoints)\(prefix(name))" }

    /// SIGKILLs member `member` (1-3).
    func kill(member: Int) async throws {
        let result = try await shell.bash(command("kill \(member)"))
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// The number (1-3) of the member that leads now.
    func leader() async throws -> Int {
        for member in 1...3 {
            let answer = try await shell.bash("curl -fsS -X POST http://127.0.0.1:\(clientPort + member - 1)/v3/maintenance/status -d '{}'")
            let status = JSON.object(answer.stdout) ?? [:]
            if let id = (status["header"] as? [String: Any])?["member_id"] as? String, id == status["leader"] as? String {
                return member
            }
        }
        throw StartFailure(description: "no member says it leads")
    }

    /// Stores `value` under `key` with the gateway, as a person with etcdctl would.
    func put(_ key: String, _ value: String) async throws {
        let request = JSON.text(["key": Data(key.utf8).base64EncodedString(), "value": Data(value.utf8).base64EncodedString()])
        let answer = try await shell.bash("curl -fsS -X POST http://127.0.0.1:\(clientPort)/v3/kv/put -d '\(request)'")
        #expect(answer.status == 0, "\(answer.stderr)")
    }

    /// The value stored under `key`, read with the gateway.
    func value(of key: String) async throws -> Data {
        let request = JSON.text(["key": Data(key.utf8).base64EncodedString()])
        let answer = try await shell.bash("curl -fsS -X POST http://127.0.0.1:\(clientPort)/v3/kv/range -d '\(request)'")
        let kvs = JSON.object(answer.stdout)?["kvs"] as? [[String: Any]]
        let value = try #require(kvs?.first?["value"] as? String, "no key \(key): \(answer.stdout)")
        return try #require(Data(base64Encoded: value))
    }
}
