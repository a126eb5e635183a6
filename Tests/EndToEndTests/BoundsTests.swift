import Foundation
import Testing

/// Numbers and sizes at and past every bound, through the built binary (CLI, serve, MCP): TTLs are at most
/// 365 days, `expires_at` is rounded up, an accepted request always writes a record that reads back, a damaged
/// `.epoch` fails closed, no number crashes any front end, and agent-written text reaches a terminal escaped.
@Suite(.timeLimit(.minutes(10))) struct BoundsTests {
    private func code(_ result: CLI.Result) -> String? { result.errorCode }

    /// Every later command still reads the lock directory: status succeeds and lists no invalid record.
    private func expectReadable(_ cli: CLI, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let status = try await cli.run(["status", "--json"])
        #expect(status.status == 0, "status after the request: \(status.stdout) \(status.stderr)", sourceLocation: sourceLocation)
        let locks = status.json["locks"] as? [[String: Any]] ?? []
        #expect(!locks.contains { $0["state"] as? String == "invalid" }, "\(status.stdout)", sourceLocation: sourceLocation)
    }

    /// Case 1: a TTL past 365 days, in seconds or units, on acquire, renew and in a manifest, is `invalid_input`
    /// (exit 2) and writes nothing; 365 days exactly is accepted.
    @Test func ttlsPastAYearAreInvalidInput() async throws {
        let cli = try CLI()
        for ttl in ["1000000000000", "31536001", "8761h", "525601m", "9223372036854775807", "99999999999999999999999"] {
            let result = try await cli.run(["acquire", "a", "x.go", "--ttl", ttl, "--json"])
            #expect(result.status == 2 && code(result) == "invalid_input", "--ttl \(ttl): \(result.stdout) \(result.stderr)")
            #expect(cli.read("locks/a.lock") == nil)
        }
        let year = try await cli.run(["acquire", "a", "x.go", "--ttl", "31536000", "--json"])
        #expect(year.status == 0, "\(year.stdout)")
        let renew = try await cli.run(["renew", "a", "--ttl", "1000000000000", "--json"])
        #expect(renew.status == 2 && code(renew) == "invalid_input", "\(renew.stdout)")
        try await expectReadable(cli)

        try cli.write("wf/MANIFEST.yaml", """
        version: 1
        workflow: wf
        ttl: 1000000000000
        agents:
          - name: dev
            directories: [src/]
        """)
        let apply = try await cli.run(["apply", "wf/MANIFEST.yaml", "--json"])
        #expect(apply.status == 2 && code(apply) == "invalid_input", "\(apply.stdout) \(apply.stderr)")
        #expect(apply.stdout.contains("365 days"), "\(apply.stdout)")
        #expect(cli.read("wf/locks/dev.lock") == nil)
    }

    /// Case 1: renewing a hand-written record that expires in 9999 gets a bounded duration, not year 10000.
    @Test func renewingAFarFutureRecordStaysReadable() async throws {
        let cli = try CLI()
        try cli.write("locks/old.lock", """
        {"agent": "old", "locked_at": "2020-01-01T00:00:00Z", "files": ["a.go"], "expires_at": "9999-12-31T23:59:59Z"}
        """)
        let renew = try await cli.run(["renew", "old", "--json"])
        #expect(renew.status == 0, "\(renew.stdout) \(renew.stderr)")
        let expires = try #require(((renew.json["lock"] as? [String: Any])?["expires_at"] as? String))
        let date = try #require(ISO8601DateFormatter().date(from: expires), "\(expires)")
        #expect(date.timeIntervalSinceNow <= 365 * 86_400 + 5, "\(expires)")
        try await expectReadable(cli)
    }

    /// Case 2: a request whose record would pass the 1 MiB read limit is refused before anything is written.
    @Test func aRecordTooLargeToReadIsNeverWritten() async throws {
        let cli = try CLI()
        let entries = (0..<280).map { "d\($0)/" + String(repeating: "x", count: 3_900) + ".go" }
        let result = try await cli.run(["acquire", "big"] + entries + ["--json"])
        #expect(result.status == 2 && code(result) == "invalid_input", "\(result.stdout.prefix(500))")
        #expect(cli.read("locks/big.lock") == nil)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cli.directory + "/locks")) ?? []
        #expect(!names.contains { $0.hasPrefix(".tmp-") })
        #expect(try await cli.run(["acquire", "small", "a.go"]).status == 0)
        try await expectReadable(cli)
    }

    /// Case 3: the largest and longer numbers on every numeric option are clear errors, never a crash.
    @Test func extremeNumbersOnTheCommandLineAreErrors() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "a", "x.go"]).status == 0)
        try cli.write("MANIFEST.yaml", """
        version: 1
        workflow: wf
        ttl: 9223372036854775807
        agents:
          - name: dev
            directories: [src/]
        """)
        let runs: [[String]] = [
            ["acquire", "b", "y.go", "--ttl", "9223372036854775807"],
            ["acquire", "b", "y.go", "--wait", "9223372036854775807"],
            ["acquire", "b", "y.go", "--wait", "-1"],
            ["renew", "a", "--ttl", "9223372036854775807"],
            ["renew", "a", "--token", "99999999999999999999999"],
            ["release", "a", "--token", "-9223372036854775808"],
            ["apply", "MANIFEST.yaml"],
            ["apply", "MANIFEST.yaml", "--wave", "9223372036854775807"],
            ["plan", "MANIFEST.yaml", "--plugin-timeout", "9223372036854775807"],
        ]
        try cli.write("options.yaml", """
        version: 1
        workflow: wf
        strategy: {name: sequential, options: {max_parallel: 99999999999999999999999, weight: 1e999}}
        agents:
          - name: dev
            directories: [src/]
        """)
        for arguments in runs + [["plan", "options.yaml"]] {
            let result = try await cli.run(arguments + ["--json"])
            #expect(result.status == 1 || result.status == 2, "\(arguments): \(result.status) \(result.stdout) \(result.stderr)")
            #expect(result.json["ok"] as? Bool == false, "\(arguments): \(result.stdout)")
        }
        try await expectReadable(cli)
        // A hook must never crash, whatever its options say.
        for timeout in ["1e300", "inf", "-inf", "nan", "-5"] {
            let hook = try await cli.run(["hook", "claude-code", "--input-timeout", timeout], input: "{}")
            #expect(hook.status == 0 || hook.status == 2, "--input-timeout \(timeout): \(hook.status) \(hook.stderr.prefix(300))")
        }
    }

    /// Case 3: in `serve`, extreme numbers are answered and the session goes on; TTLs are bounded there too.
    @Test func extremeNumbersInServeAreAnsweredAndTheSessionGoesOn() async throws {
        let cli = try CLI()
        let lines = [
            #"{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"a","entries":["x.go"],"ttl":"9223372036854775807"}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"acquire","params":{"agent":"a","entries":["x.go"],"ttl":"1000000000000"}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"acquire","params":{"agent":"a","entries":["x.go"],"wait":"9223372036854775807"}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"renew","params":{"agent":"a","token":1e300}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"release","params":{"agent":"a","token":-1e300}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"apply","params":{"manifest_inline":{"version":1,"workflow":"w","ttl":9223372036854775807,"agents":[{"name":"d","directories":["s/"]}]}}}"#,
            #"{"jsonrpc":"2.0","id":7,"method":"apply","params":{"manifest_inline":{"version":1,"workflow":"w","agents":[{"name":"d","directories":["s/"]}]},"wave":1e300}}"#,
            #"{"jsonrpc":"2.0","id":8,"method":"renew","params":{"agent":"a","token":9223372036854775807}}"#,
        ]
        let end = try await cli.session(["serve"]) { session in
            var answers: [[String: Any]] = []
            for line in lines { answers.append(try await session.exchange(line)) }
            answers.append(try await session.exchange(#"{"jsonrpc":"2.0","id":9,"method":"acquire","params":{"agent":"a","entries":["x.go"],"ttl":"1h"}}"#))
            return answers.map(JSON.text)
        }
        #expect(end.status == 0, "serve ended with \(end.status): \(end.stderr)")
        let answers = end.value.compactMap(JSON.object)
        #expect(answers.count == lines.count + 1)
        for answer in answers.dropLast() {
            let result = answer["result"] as? [String: Any]
            #expect(result?["ok"] as? Bool == false || answer["error"] != nil, "\(JSON.text(answer))")
        }
        let first = answers.first?["result"] as? [String: Any]
        #expect((first?["error"] as? [String: Any])?["code"] as? String == "invalid_input", "\(answers.first.map(JSON.text) ?? "")")
        #expect((answers.last?["result"] as? [String: Any])?["ok"] as? Bool == true, "\(answers.last.map(JSON.text) ?? "")")
    }

    /// Case 3: the MCP server answers an extreme TTL with a tool error and keeps serving.
    @Test func extremeNumbersInMCPAreToolErrors() async throws {
        let cli = try CLI()
        func call(_ id: Int, _ name: String, _ arguments: [String: Any]) -> String {
            JSON.text(["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": name, "arguments": arguments]])
        }
        let end = try await cli.session(["mcp"]) { session in
            _ = try await session.exchange(JSON.text(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": [
                "protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"],
            ]]))
            try await session.send(JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]))
            let huge = try await session.exchange(call(2, "acquire", ["agent": "a", "entries": ["x.go"], "ttl": "9223372036854775807"]))
            let token = try await session.exchange(call(3, "renew", ["agent": "a", "token": 1e300]))
            let fine = try await session.exchange(call(4, "acquire", ["agent": "a", "entries": ["x.go"]]))
            return [huge, token, fine].map(JSON.text)
        }
        #expect(end.status == 0, "\(end.stderr)")
        let answers = end.value.compactMap(JSON.object)
        #expect(answers.count == 3)
        #expect((answers[0]["result"] as? [String: Any])?["isError"] as? Bool == true, "\(end.value[0])")
        #expect(answers[1]["result"] != nil || answers[1]["error"] != nil, "\(end.value[1])")
        #expect((answers[2]["result"] as? [String: Any])?["isError"] as? Bool == false, "\(end.value[2])")
    }

    /// Case 7: `expires_at` is rounded up, so a lease lasts at least its TTL: each of 10 grants with `--ttl 1`
    /// expires no earlier than one second after the command started, and a renew 0.3 s later is never `lost`.
    @Test func leasesAreNeverShorterThanTheirTTL() async throws {
        let cli = try CLI()
        for round in 0..<10 {
            let started = Date()
            let result = try await cli.run(["acquire", "a\(round)", "f\(round).go", "--ttl", "1", "--json"])
            let expires = try #require((result.json["lock"] as? [String: Any])?["expires_at"] as? String, "\(result.stdout)")
            let date = try #require(ISO8601DateFormatter().date(from: expires))
            #expect(date >= started.addingTimeInterval(1), "round \(round): expires \(expires) is earlier than start + ttl \(started.timeIntervalSince1970 + 1)")
        }
        // A renew 0.3 s after the grant is never `lost` (when the machine is so loaded that the renew starts
        // more than a second after the acquire did, `lost` is right and the round proves nothing).
        for round in 0..<4 {
            let result = try await cli.bash("""
            start=$(date +%s.%N)
            "$SCOPELOCK" acquire r x.go --ttl 1 >/dev/null && sleep 0.3 && "$SCOPELOCK" renew r --ttl 1 >/dev/null; status=$?
            python3 -c "print('renew-status', $status, 'elapsed %.3f' % ($(date +%s.%N) - $start))"
            """)
            let fields = result.stdout.split(separator: " ")
            let status = fields.count > 1 ? Int(fields[1]) : nil
            let elapsed = fields.last.flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            #expect(status == 0 || elapsed >= 1.0, "round \(round): \(result.stdout) \(result.stderr)")
        }
    }

    /// Case 10: a damaged `.epoch` fails closed (`invalid_lock` naming it, nothing granted), never reissuing a
    /// token; the largest token a record can hold is issued and reads back, and the next is a clear error.
    @Test func aDamagedEpochFailsClosed() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "first", "a.go"]).status == 0)
        #expect(try await cli.run(["release", "first"]).status == 0)
        for damage in ["garbage\n", "9223372036854775807\n", "99999999999999999999999\n", "9007199254740992\n", "-5\n", "1e3\n"] {
            try damage.write(toFile: cli.directory + "/locks/.epoch", atomically: false, encoding: .utf8)
            let result = try await cli.run(["acquire", "second", "b.go", "--json"])
            #expect(result.status == 3 && code(result) == "invalid_lock", "\(damage.debugDescription): \(result.stdout) \(result.stderr)")
            #expect((result.json["error"] as? [String: Any])?["file"] as? String == cli.directory + "/locks/.epoch", "\(result.stdout)")
            #expect(cli.read("locks/second.lock") == nil)
        }
        // The largest exact integer: issued, written as an integer, read back; then tokens are used up.
        try "9007199254740990\n".write(toFile: cli.directory + "/locks/.epoch", atomically: false, encoding: .utf8)
        let last = try await cli.run(["acquire", "second", "b.go", "--json"])
        #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
        let written = String(decoding: cli.read("locks/second.lock") ?? Data(), as: UTF8.self)
        #expect(written.contains("\"token\": 9007199254740991"), "\(written)")
        try await expectReadable(cli)
        let over = try await cli.run(["acquire", "third", "c.go", "--json"])
        #expect(over.status == 3 && code(over) == "io_error", "\(over.stdout)")
        #expect(cli.read("locks/third.lock") == nil)
        try await expectReadable(cli)
    }

    /// Case 11: terminal escape sequences in a task, in entries and in hand-written records reach human output
    /// escaped: no ESC, BEL or C1 byte is printed raw, on stdout or stderr.
    @Test func controlCharactersAreEscapedInHumanOutput() async throws {
        let cli = try CLI()
        let evil = "x\u{1B}cred\u{07}\u{9B}2J.go"
        #expect(try await cli.run(["acquire", "a", evil, "--task", "t\u{1B}]0;title\u{07}"]).status == 0)
        try cli.write("locks/hand.lock", """
        {"agent": "hand", "locked_at": "2020-01-01T00:00:00Z", "files": ["h\\u001bcy.go"], "task_description": "\\u001b[5m",
         "expires_at": "2999-01-01T00:00:00Z"}
        """)
        var outputs: [CLI.Result] = []
        outputs.append(try await cli.run(["status"]))
        outputs.append(try await cli.run(["owner", evil]))
        outputs.append(try await cli.run(["acquire", "b", evil]))
        outputs.append(try await cli.run(["acquire", "c", "h\u{1B}cy.go"]))
        outputs.append(try await cli.run(["check", "d", "x*"]))
        // A plugin's own words: its description, and the stderr of a plugin that fails.
        try cli.write("plugins/scopelock-strategy-loud", """
        #!/bin/sh
        cat >/dev/null
        if [ "$1" = describe ]; then
          printf '{"protocol":"scopelock.strategy/1","name":"loud","version":"1\\u001b[5m","description":"blinks\\u001b[5m\\u0007"}'
          exit 0
        fi
        printf 'bad \033[2J\007 news\n' >&2
        exit 7
        """)
        chmod(cli.directory + "/plugins/scopelock-strategy-loud", 0o755)
        try cli.write("MANIFEST.yaml", """
        version: 1
        workflow: wf
        strategy: loud
        agents:
          - {name: one, directories: [src/]}
          - {name: two, files: [src/a.go]}
        """)
        outputs.append(try await cli.run(["plugins", "--plugin-dir", "plugins"]))
        outputs.append(try await cli.run(["plan", "MANIFEST.yaml", "--plugin-dir", "plugins"]))
        #expect(outputs[outputs.count - 2].stdout.contains("blinks\\u{1B}[5m"), "\(outputs[outputs.count - 2].stdout)")
        #expect(outputs[outputs.count - 1].status == 3, "\(outputs[outputs.count - 1].stdout) \(outputs[outputs.count - 1].stderr)")
        for result in outputs {
            for text in [result.stdout, result.stderr] {
                #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" }, "raw control character in \(text.debugDescription)")
            }
        }
        #expect(outputs[2].stderr.contains("\\u{1B}"), "\(outputs[2].stderr)")
        // The JSON keeps the text exactly (escaped as JSON).
        let json = try await cli.run(["status", "--json"])
        #expect(json.stdout.contains("x\\u001bcred") || json.stdout.contains("x\\u001Bcred"), "\(json.stdout)")
    }
}
