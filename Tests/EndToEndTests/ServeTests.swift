import Foundation
import Testing

/// `scopelock serve` through the built binary over pipes: a scripted session touching every method, with bad lines
/// in the middle; each result compared with what the command line prints with `--json` for the same operation in a
/// twin scratch directory; every message checked against `schemas/rpc.schema.json`.
@Suite(.timeLimit(.minutes(20))) struct ServeTests {
    /// What a line of the session should get back.
    enum Expect {
        /// A result with this `ok` (and, when refused, this error code).
        case result(ok: Bool, code: String? = nil)
        /// A JSON-RPC error with this code.
        case rpcError(Int)
        /// Nothing: a notification or a blank line.
        case silence
    }

    struct Step {
        let line: String
        let id: Any?
        let method: String?
        let expect: Expect
        /// The command whose `--json` output the result must equal, run in the twin directory; for a silent step,
        /// the command that keeps the twin's locks in step.
        let twin: [String]?
    }

    /// A request line, and the step it makes.
    static func call(_ id: Any?, _ method: String, _ params: [String: Any]? = nil, _ expect: Expect, twin: [String]? = nil) -> Step {
        var message: [String: Any] = ["jsonrpc": "2.0", "method": method]
        if let id { message["id"] = id }
        if let params { message["params"] = params }
        return Step(line: JSON.text(message), id: id, method: method, expect: expect, twin: twin)
    }

    static func raw(_ line: String, _ expect: Expect, id: Any? = NSNull()) -> Step {
        Step(line: line, id: id, method: nil, expect: expect, twin: nil)
    }

    static let manifest = """
    version: 1
    workflow: demo
    strategy: sequential
    agents:
      - name: web-dev
        task: Build the site
        directories: [web/]
      - name: web-tester
        files: [web/index_test.html]
    """

    static var inlineManifest: [String: Any] { [
        "version": 1, "workflow": "inline-demo", "strategy": "sequential",
        "agents": [["name": "a", "directories": ["web/"]], ["name": "b", "files": ["web/index.html"]]],
    ] }

    static var steps: [Step] { [
        call(1, "describe", nil, .result(ok: true)),
        call(2, "status", [:], .result(ok: true), twin: ["status"]),
        call(3, "acquire", ["agent": "dev", "entries": ["src/app/"], "task": "build the app"], .result(ok: true),
             twin: ["acquire", "dev", "src/app/", "--task", "build the app"]),
        call(4, "acquire", ["agent": "tester", "entries": ["src/app/main_test.go"]], .result(ok: false, code: "conflict"),
             twin: ["acquire", "tester", "src/app/main_test.go"]),
        call(5, "check", ["agent": "tester", "entries": ["src/lib/"]], .result(ok: true), twin: ["check", "tester", "src/lib/"]),
        call(6, "check", ["agent": "tester", "entries": ["src/app/x.go"]], .result(ok: false, code: "conflict"),
             twin: ["check", "tester", "src/app/x.go"]),
        call(7, "owner", ["paths": ["src/app/main.go", "docs/guide.md"]], .result(ok: true),
             twin: ["owner", "src/app/main.go", "docs/guide.md"]),
        call(8, "overlap", ["left": "src/app/", "right": "src/app/x.go"], .result(ok: true), twin: ["overlap", "src/app/", "src/app/x.go"]),
        call(9, "overlap", ["left": "a.txt", "right": "b.txt"], .result(ok: true), twin: ["overlap", "a.txt", "b.txt"]),
        call(10, "acquire", ["agent": "reader", "entries": ["docs/"], "shared": true, "ttl": "2h"], .result(ok: true),
             twin: ["acquire", "reader", "docs/", "--shared", "--ttl", "2h"]),
        // A notification: it runs (the twin does the same), and nothing answers it.
        call(nil, "acquire", ["agent": "notifier", "entries": ["notes/"]], .silence, twin: ["acquire", "notifier", "notes/"]),
        raw("this line is not JSON", .rpcError(-32700)),
        raw("   ", .silence, id: nil),
        call(11, "renew", ["agent": "dev", "ttl": "2h", "token": 1], .result(ok: true), twin: ["renew", "dev", "--ttl", "2h", "--token", "1"]),
        call(12, "renew", ["agent": "dev", "token": 99], .result(ok: false, code: "lost"), twin: ["renew", "dev", "--token", "99"]),
        call(13, "release", ["agent": "dev", "token": 99], .result(ok: false, code: "lost"), twin: ["release", "dev", "--token", "99"]),
        call(14, "status", nil, .result(ok: true), twin: ["status"]),
        call(15, "status", ["agent": "dev"], .result(ok: true), twin: ["status", "dev"]),
        call(16, "guard", ["agent": "dev", "paths": ["src/app/main.go", "./src/app/util.go"]], .result(ok: true),
             twin: ["guard", "dev", "src/app/main.go", "./src/app/util.go"]),
        call(17, "guard", ["agent": "tester", "paths": ["src/app/main.go"]], .result(ok: false, code: "guard_violation"),
             twin: ["guard", "tester", "src/app/main.go"]),
        call(18, "plan", ["manifest": "plan.yaml"], .result(ok: true), twin: ["plan", "plan.yaml"]),
        call(19, "plan", ["manifest_inline": inlineManifest, "strategy": "sequential"], .result(ok: true)),
        call(20, "plan", ["manifest": "missing.yaml"], .result(ok: false, code: "invalid_input"), twin: ["plan", "missing.yaml"]),
        call(21, "apply", ["manifest": "plan.yaml", "wave": 9], .result(ok: false, code: "invalid_input"),
             twin: ["apply", "plan.yaml", "--wave", "9"]),
        call(22, "apply", ["manifest": "plan.yaml", "wave": 1], .result(ok: true), twin: ["apply", "plan.yaml", "--wave", "1"]),
        call(23, "plugins", nil, .result(ok: true), twin: ["plugins"]),
        call(24, "prune", ["dry_run": true], .result(ok: true), twin: ["prune", "--dry-run"]),
        call(25, "prune", nil, .result(ok: true), twin: ["prune"]),
        call(26, "release", ["agent": "tester"], .result(ok: false, code: "not_found"), twin: ["release", "tester"]),
        call(27, "acquire", ["agent": "../bad", "entries": ["x.txt"]], .result(ok: false, code: "invalid_input"),
             twin: ["acquire", "../bad", "x.txt"]),
        call(28, "clear", nil, .result(ok: false, code: "conflict"), twin: ["clear"]),
        call(29, "frobnicate", nil, .rpcError(-32601)),
        call(30, "acquire", ["entries": ["src/"]], .rpcError(-32602)),
        call(31, "acquire", ["agent": "a", "entries": "src/"], .rpcError(-32602)),
        call(32, "status", ["bogus": 1], .rpcError(-32602)),
        call(33, "release", ["agent": "dev", "token": "one"], .rpcError(-32602)),
        raw(#"{"jsonrpc":"1.0","id":34,"method":"status"}"#, .rpcError(-32600), id: 34),
        raw("[]", .rpcError(-32600)),
        raw(#"{"jsonrpc":"2.0","id":36,"method":"status","params":["dev"]}"#, .rpcError(-32602), id: 36),
        raw("{" + String(repeating: " ", count: (1 << 20) + 16) + "}", .rpcError(-32600)),
        call("string-id", "status", ["agent": "reader", "output_dir": "."], .result(ok: true), twin: ["status", "reader", "-o", "."]),
        call(37, "release", ["agent": "dev", "token": 1], .result(ok: true), twin: ["release", "dev", "--token", "1"]),
        call(38, "release", ["agent": "reader", "force": true], .result(ok: true), twin: ["release", "reader", "--force"]),
        call(39, "clear", ["force": true], .result(ok: true), twin: ["clear", "--force"]),
        call(40, "status", nil, .result(ok: true), twin: ["status"]),
    ] }

    @Test func scriptedSessionAnswersInOrderLikeTheCommandLine() async throws {
        let served = try CLI()
        let twin = try CLI()
        for cli in [served, twin] {
            try cli.write("src/app/main.go", "package main\n")
            try cli.write("docs/guide.md", "# Guide\n")
            try cli.write("web/index.html", "<html></html>\n")
            try cli.write("plan.yaml", Self.manifest)
        }
        let directories = [served.directory, twin.directory]
        #expect(Self.steps.filter { if case .silence = $0.expect { false } else { true } }.count >= 30)
        #expect(Set(Self.steps.compactMap(\.method)).isSuperset(of: ["acquire", "release", "renew", "status", "check", "owner",
            "overlap", "prune", "clear", "plan", "apply", "plugins", "guard", "describe"]))

        let end = try await served.session(["serve"]) { session in
            var answers: [String] = []
            for step in Self.steps {
                if case .silence = step.expect {
                    try await session.send(step.line)
                    if let twinCommand = step.twin { try await twin.run(twinCommand) }
                    continue
                }
                let answer = try await session.exchange(step.line)
                answers.append(JSON.text(answer))
                let shown = "\(step.line.prefix(300)) → \(JSON.text(answer))"
                #expect(answer["jsonrpc"] as? String == "2.0", "\(shown)")
                #expect(JSON.text(answer["id"] ?? "absent") == JSON.text(step.id ?? NSNull()), "answers out of order: \(shown)")
                switch step.expect {
                case .result(let ok, let code):
                    let result = try #require(answer["result"] as? [String: Any], "\(shown)")
                    #expect(result["ok"] as? Bool == ok, "\(shown)")
                    #expect((result["error"] as? [String: Any])?["code"] as? String == code, "\(shown)")
                    if let twinCommand = step.twin {
                        let printed = try await twin.run(twinCommand + ["--json"])
                        let expected = try #require(JSON.object(printed.stdout), "\(twinCommand): \(printed.stdout)\(printed.stderr)")
                        #expect(
                            JSON.text(JSON.normalized(result, directories: directories))
                                == JSON.text(JSON.normalized(expected, directories: directories)),
                            "serve and `scopelock \(twinCommand.joined(separator: " ")) --json` differ:\n\(JSON.text(result))\n\(printed.stdout)"
                        )
                    }
                case .rpcError(let code):
                    let error = try #require(answer["error"] as? [String: Any], "\(shown)")
                    #expect(error["code"] as? Int == code, "\(shown)")
                    #expect(answer["result"] == nil)
                    if code == -32602 { #expect((error["data"] as? [String: Any])?["field"] is String, "\(shown)") }
                case .silence:
                    break
                }
            }
            return answers
        }
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.trailingLines.isEmpty, "stdout after the last answer: \(end.trailingLines)")

        let answers = end.value
        let scratch = try CLI()
        let validated = try await SchemaFiles.validate(answers, against: "rpc.schema.json", in: scratch)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let requests = Self.steps.filter { if case .result = $0.expect { true } else { false } }.map(\.line)
        let validRequests = try await SchemaFiles.validate(requests, against: "rpc.schema.json", in: scratch)
        #expect(validRequests.status == 0, "\(validRequests.stdout)\(validRequests.stderr)")

        // Each result also matches its own command's result schema.
        var results: [String: [String]] = [:]
        for (step, answer) in zip(Self.steps.filter { if case .silence = $0.expect { false } else { true } }, answers) {
            guard let method = step.method, method != "describe", case .result = step.expect,
                  let result = JSON.object(answer)?["result"] else { continue }
            results[method, default: []].append(JSON.text(result))
        }
        for (method, lines) in results.sorted(by: { $0.key < $1.key }) {
            let checked = try await SchemaFiles.validate(lines, against: "\(method)-result.schema.json", in: scratch)
            #expect(checked.status == 0, "\(method): \(checked.stdout)\(checked.stderr)")
        }
    }

    @Test func describeNamesEveryMethod() async throws {
        let cli = try CLI()
        let end = try await cli.session(["serve"]) { session in
            JSON.text(try await session.exchange(#"{"jsonrpc":"2.0","id":1,"method":"describe","params":{}}"#))
        }
        let result = try #require(JSON.object(end.value)?["result"] as? [String: Any])
        let version = try await cli.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(result["ok"] as? Bool == true && result["name"] as? String == "scopelock")
        #expect(result["protocol"] as? String == "jsonrpc-2.0" && result["version"] as? String == version)
        #expect(result["methods"] as? [String] == ["acquire", "release", "renew", "status", "check", "owner", "overlap", "prune",
                                                    "clear", "plan", "apply", "plugins", "guard", "where", "describe"])
        #expect(end.status == 0)
    }

    /// Requests piped in all at once (no waiting for answers) get their answers in order, and a session whose last
    /// line has no newline still answers it.
    @Test func pipedSessionWithoutTrailingNewline() async throws {
        let cli = try CLI()
        let input = (1...20).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"acquire","params":{"agent":"a\#($0)","entries":["f\#($0).txt"]}}"# }
            .joined(separator: "\n")
        let result = try await cli.run(["serve"], input: input)
        #expect(result.status == 0)
        let ids = result.stdout.split(separator: "\n").map { JSON.object(String($0))?["id"] as? Int }
        #expect(ids == (1...20).map { $0 })
        #expect(cli.read("locks/a20.lock") != nil)
    }

    /// `params.output_dir` and `params.root` choose the workspace of one request; without them the server's `-o` holds.
    @Test func workspaceParamsChooseWhereARequestActs() async throws {
        let cli = try CLI()
        let end = try await cli.session(["serve", "-o", "default"]) { session in
            let first = try await session.exchange(#"{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"a","entries":["x.txt"]}}"#)
            let second = try await session.exchange(
                #"{"jsonrpc":"2.0","id":2,"method":"acquire","params":{"agent":"a","entries":["x.txt"],"output_dir":"other"}}"#
            )
            return [JSON.text(first), JSON.text(second)]
        }
        #expect(end.status == 0)
        #expect(cli.read("default/locks/a.lock") != nil)
        #expect(cli.read("other/locks/a.lock") != nil)
        #expect(end.value.allSatisfy { JSON.object($0).flatMap { ($0["result"] as? [String: Any])?["ok"] as? Bool } == true })
    }

    /// `examples/rpc/session.jsonl`, piped into a fresh directory, answers `examples/rpc/expected.jsonl` but for the
    /// volatile fields the example documents (times, pid, host, seconds left, version).
    @Test func exampleSessionAnswersAsDocumented() async throws {
        let examples = SchemaFiles.testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/rpc")
        let session = try String(contentsOf: examples.appendingPathComponent("session.jsonl"), encoding: .utf8)
        let expected = try String(contentsOf: examples.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let cli = try CLI()
        let result = try await cli.run(["serve", "-o", "."], input: session)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = result.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == expected.count)
        for (answer, wanted) in zip(answers, expected) {
            let got = JSON.object(answer).map { JSON.text(JSON.normalized($0, directories: [cli.directory])) }
            let want = JSON.object(wanted).map { JSON.text(JSON.normalized($0, directories: ["/tmp/scopelock-example"])) }
            #expect(got != nil && got == want, "\(answer)\n\(wanted)")
        }
        let validated = try await SchemaFiles.validate(expected, against: "rpc.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
    }

    /// The schema is not vacuous: answers with a wrong shape are rejected.
    @Test func brokenAnswersAreRejectedBySchema() async throws {
        let broken = [
            #"{"id":1,"jsonrpc":"2.0","result":{"ok":true,"unexpected":1}}"#,
            #"{"id":1,"jsonrpc":"2.0","result":{"ok":false}}"#,
            #"{"id":1,"result":{"ok":true,"locks":[]}}"#,
            #"{"id":1,"jsonrpc":"2.0","error":{"code":-32602,"message":"invalid params"}}"#,
            #"{"id":1,"jsonrpc":"2.0","error":{"code":-1,"message":"x"}}"#,
            #"{"id":1,"jsonrpc":"2.0","result":{"ok":true,"locks":[]},"error":{"code":-32603,"message":"x"}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"a"}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"status","params":{"bogus":true}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"lock"}"#,
        ]
        let scratch = try CLI()
        let result = try await SchemaFiles.validate(broken, against: "rpc.schema.json", in: scratch)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        for number in 1...broken.count {
            #expect(lines.contains { $0.hasPrefix("\(number): ") }, "line \(number) was not rejected:\n\(result.stdout)")
        }
    }
}
