import Foundation
import Testing

/// Strategy plugins that misbehave: each gives `plugin_error` within the deadline plus 2 s, leaves no
/// process behind, and nothing is acquired.
@Suite(.serialized) struct PluginFailureTests {
    /// The plugin deadline: long enough for a Python start on a loaded machine, short enough to wait for.
    static let deadline = 3.0

    static let fixture = #"""
    import json, os, sys, time
    mode, verb = sys.argv[1], sys.argv[2]
    with open(os.environ["PID_FILE"], "a") as f:
        f.write(f"{os.getpid()}\n")
    request = json.loads(sys.stdin.read() or "{}")
    # A plugin of protocol version 2 may answer with excludes.
    P = "scopelock.strategy/2" if mode == "exclude" else "scopelock.strategy/1"
    def misbehave():
        if mode == "hang": time.sleep(3600)
        if mode == "late": time.sleep(5)
        if mode == "huge": sys.stdout.write("x" * (5 << 20)); sys.stdout.flush(); sys.exit(0)
        if mode == "garbage": print("this is not json"); sys.exit(0)
        if mode == "exit1": sys.stderr.write("fixture failed on purpose\n"); sys.exit(1)
        if mode == "grandchild":
            child = os.fork()
            if child == 0:
                time.sleep(60)
                os._exit(0)
            with open(os.environ["PID_FILE"], "a") as f:
                f.write(f"{child}\n")
    if verb == "describe":
        if mode in ("hang", "huge", "garbage", "exit1"): misbehave()
        print(json.dumps({"protocol": P, "name": "bad-" + mode, "version": "0", "description": "misbehaves"}))
        sys.exit(0)
    misbehave()
    agents = [{"name": a["name"], "files": a["files"], "directories": a["directories"]} for a in request["agents"]]
    waves = [[a["name"]] for a in request["agents"]]
    answer = {"protocol": P, "status": "resolved", "agents": agents, "waves": waves, "actions": []}
    if mode == "protocol": answer["protocol"] = "scopelock.strategy/99"
    if mode == "drop": agents.pop(); waves.pop()
    if mode == "lose": agents[0]["directories"] = []; agents[0]["files"] = []
    if mode == "exclude": agents[0]["excludes"] = ["src/vendor/"]
    if mode == "wave": answer["waves"] = [[a["name"] for a in agents]]
    if mode == "depends": answer["waves"] = list(reversed(waves))
    if mode == "declined": answer = {"protocol": P, "status": "declined", "error": {"code": "nope", "message": "will not"}}
    print(json.dumps(answer))
    """#

    /// A manifest whose strategy is the fixture in `mode`; dev and tester conflict, tester depends on dev.
    private func setUp(_ mode: String) throws -> CLI {
        let cli = try CLI()
        try cli.write("fixture.py", Self.fixture)
        try cli.write("MANIFEST.yaml", """
        version: 1
        workflow: misbehaving
        output_directory: out
        strategy:
          command: [python3, fixture.py, \(mode)]
        agents:
          - name: dev
            directories: [src/]
          - name: tester
            files: ["src/**/*_test.go"]
            depends_on: [dev]
          - name: docs
            directories: [docs/]
        """)
        return cli
    }

    @Test(arguments: [
        ("hang", "timed out"), ("late", "timed out"), ("huge", "1 MiB"), ("garbage", "not JSON"),
        ("exit1", "fixture failed on purpose"), ("protocol", "scopelock.strategy/99"), ("drop", "dropped agent docs"),
        ("lose", "lost"), ("wave", "conflicting agents"), ("depends", "depends_on"), ("grandchild", ""),
        ("declined", "declined"), ("exclude", "without giving it to another agent"),
    ])
    func misbehavingPluginFailsClosed(_ mode: String, _ mentioned: String) async throws {
        let cli = try setUp(mode)
        let started = Date()
        let result = try await cli.run(
            ["apply", "MANIFEST.yaml", "--plugin-timeout", "\(Int(Self.deadline))s", "--json"],
            environment: ["PID_FILE": cli.directory + "/pids"]
        )
        let elapsed = Date().timeIntervalSince(started)
        if mode == "grandchild" {
            // A process left running in the plugin's group is itself a failure; the group is killed.
            #expect(result.errorCode == "plugin_error", "\(result.stdout)")
        } else {
            #expect(result.status == 3, "\(mode): \(result.stdout) \(result.stderr)")
            #expect(result.errorCode == "plugin_error")
            let message = (result.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(mentioned), "\(mode): \(message)")
            let locks = (try? FileManager.default.contentsOfDirectory(atPath: cli.directory + "/out/locks")) ?? []
            #expect(locks.filter { $0.hasSuffix(".lock") }.isEmpty, "\(mode) acquired \(locks)")
        }
        #expect(elapsed < Self.deadline + 2 + 1, "\(mode) took \(elapsed)s")  // deadline + 2 s, plus start-up

        // No process of the plugin's is left running.
        try await Task.sleep(nanoseconds: 200_000_000)
        let pids = String(decoding: cli.read("pids") ?? Data(), as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
        #expect(!pids.isEmpty)
        for pid in pids {
            #expect(!Self.isRunning(pid), "\(mode): process \(pid) is still alive")
        }
    }

    /// Whether `pid` is a live process; a zombie waiting for init to reap it has already ended.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }
}
