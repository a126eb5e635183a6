import Foundation
import Testing

/// Scopes with excludes through the built binary: the seed's developer holds the vendor folder except its tests,
/// the tester holds the tests, side by side; a third agent, `owner`, `guard`, `status` and bad input.
@Suite(.timeLimit(.minutes(10))) struct ExclusionTests {
    static let vendor = "backend/pkg/integrations/qualys"

    /// A scratch git repository with the Qualys folder, a client and its test.
    static func repository() async throws -> CLI {
        let cli = try CLI()
        let setup = try await cli.bash("""
        set -e
        \(CLI.gitRepository)
        mkdir -p \(vendor)
        echo 'package qualys' > \(vendor)/client.go
        echo 'package qualys' > \(vendor)/client_test.go
        printf 'locks/\\n' > .gitignore
        git add -A && git commit -q -m initial
        """)
        #expect(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
        return cli
    }

    @Test func developerAndTesterSideBySide() async throws {
        let cli = try await Self.repository()
        let vendor = Self.vendor
        var schemaLines: [String: [String]] = [:]

        let developer = try await cli.run(["acquire", "integration-developer", "\(vendor)/", "--exclude", "\(vendor)/*_test.go", "--json"])
        #expect(developer.status == 0, "\(developer.stdout)\(developer.stderr)")
        schemaLines["acquire-result.schema.json", default: []].append(developer.stdout)
        let lock = try #require(developer.json["lock"] as? [String: Any])
        #expect(lock["directories"] as? [String] == ["\(vendor)/"])
        #expect(lock["excludes"] as? [String] == ["\(vendor)/*_test.go"])
        let record = try #require(cli.read("locks/integration-developer.lock"))
        let written = try #require(try JSONSerialization.jsonObject(with: record) as? [String: Any])
        #expect(written["excludes"] as? [String] == ["\(vendor)/*_test.go"])
        #expect(written["files"] as? [String] == [])

        // The tester's glob meets no path the developer covers.
        let check = try await cli.run(["check", "backend-tester", "backend/pkg/integrations/*/*_test.go", "--json"])
        #expect(check.status == 0, "\(check.stdout)")
        schemaLines["check-result.schema.json", default: []].append(check.stdout)
        let tester = try await cli.run(["acquire", "backend-tester", "backend/pkg/integrations/*/*_test.go", "--json"])
        #expect(tester.status == 0, "\(tester.stdout)\(tester.stderr)")

        // A third agent asking for the client is refused, naming the developer.
        let third = try await cli.run(["acquire", "reviewer", "\(vendor)/client.go", "--json"])
        #expect(third.status == 1)
        #expect(third.errorCode == "conflict")
        let conflicts = try #require((third.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])
        #expect(conflicts.compactMap { $0["agent"] as? String } == ["integration-developer"])
        #expect(conflicts.first?["witness"] as? String == "\(vendor)/client.go")
        // ... and one asking for a test file meets the tester only.
        let fourth = try await cli.run(["check", "other", "\(vendor)/client_test.go", "--json"])
        let fourthConflicts = (fourth.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]] ?? []
        #expect(fourthConflicts.compactMap { $0["agent"] as? String } == ["backend-tester"], "\(fourth.stdout)")

        // owner names the tester only for a test file, the developer only for the client.
        let owner = try await cli.run(["owner", "\(vendor)/client_test.go", "\(vendor)/client.go", "--json"])
        schemaLines["owner-result.schema.json", default: []].append(owner.stdout)
        let paths = try #require(owner.json["paths"] as? [[String: Any]])
        let owners = paths.map { (($0["owners"] as? [[String: Any]]) ?? []).compactMap { $0["agent"] as? String } }
        #expect(owners == [["backend-tester"], ["integration-developer"]], "\(owner.stdout)")

        // guard: the developer's change to the test file is outside its lock (and inside the tester's).
        try await cli.bash("echo '// more' >> \(vendor)/client_test.go && echo '// more' >> \(vendor)/client.go")
        let refused = try await cli.run(["guard", "integration-developer", "\(vendor)/client_test.go", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "guard_violation", "\(refused.stdout)")
        let violations = (refused.json["error"] as? [String: Any])?["violations"] as? [[String: Any]] ?? []
        #expect(Set(violations.compactMap { $0["reason"] as? String }) == ["outside_own_lock", "held_by_other"], "\(refused.stdout)")
        #expect(violations.compactMap { $0["agent"] as? String } == ["backend-tester"])
        let allowed = try await cli.run(["guard", "integration-developer", "\(vendor)/client.go", "--json"])
        #expect(allowed.status == 0, "\(allowed.stdout)")
        let testerGuard = try await cli.run(["guard", "backend-tester", "\(vendor)/client_test.go", "--json"])
        #expect(testerGuard.status == 0, "\(testerGuard.stdout)")

        // status shows what is left out, in JSON and for people.
        let status = try await cli.run(["status", "integration-developer", "--json"])
        let shown = (status.json["locks"] as? [[String: Any]])?.first?["lock"] as? [String: Any]
        #expect(shown?["excludes"] as? [String] == ["\(vendor)/*_test.go"])
        let table = try await cli.run(["status"], environment: ["COLUMNS": "200"])
        #expect(table.stdout.contains("\(vendor)/ except \(vendor)/*_test.go"), "\(table.stdout)")

        // overlap with excludes on either side.
        let apart = try await cli.run(["overlap", "\(vendor)/", "backend/pkg/integrations/*/*_test.go", "--exclude-left", "\(vendor)/*_test.go", "--json"])
        #expect(apart.json["overlap"] as? Bool == false, "\(apart.stdout)")
        schemaLines["overlap-result.schema.json", default: []].append(apart.stdout)
        let meet = try await cli.run(["overlap", "backend/pkg/integrations/*/*_test.go", "\(vendor)/", "--exclude-right", "\(vendor)/*_test.go", "--exclude-left", "other/", "--json"])
        #expect(meet.json["overlap"] as? Bool == false, "\(meet.stdout)")
        let deep = try await cli.run(["overlap", "\(vendor)/", "backend/**/*_test.go", "--exclude-left", "\(vendor)/*_test.go", "--json"])
        #expect(deep.json["witness"] as? String == "\(vendor)/a/_test.go", "\(deep.stdout)")
        schemaLines["overlap-result.schema.json", default: []].append(deep.stdout)

        for (schema, lines) in schemaLines.sorted(by: { $0.key < $1.key }) {
            let validated = try await SchemaFiles.validate(lines, against: schema, in: cli)
            #expect(validated.status == 0, "\(schema): \(validated.stdout)\(validated.stderr)")
        }
        let recordValid = try await SchemaFiles.validate([String(decoding: try JSONSerialization.data(withJSONObject: written), as: UTF8.self)], against: "lock-record.schema.json", in: cli)
        #expect(recordValid.status == 0, "\(recordValid.stdout)\(recordValid.stderr)")
    }

    @Test func excludesAreNormalisedAsEntriesAre() async throws {
        let cli = try await Self.repository()
        let vendor = Self.vendor
        let check = try await cli.run([
            "check", "dev", "\(vendor)/",
            "--exclude", "./backend//pkg/integrations/other/../qualys/./*_test.go",
            "--exclude", "\(cli.directory)/\(vendor)/client.go",
            "--exclude", "\(vendor)/sub/",
            "--exclude", "\(vendor)/client.go",
            "--json",
        ])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.json["excludes"] as? [String] == ["\(vendor)/*_test.go", "\(vendor)/client.go", "\(vendor)/sub/"], "\(check.stdout)")
        let validated = try await SchemaFiles.validate([check.stdout], against: "check-result.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)")
    }

    @Test func serveTakesExcludes() async throws {
        let cli = try await Self.repository()
        let vendor = Self.vendor
        let lines = [
            #"{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"dev","entries":["\#(vendor)/"],"excludes":["\#(vendor)/*_test.go"]}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"check","params":{"agent":"tester","entries":["\#(vendor)/*_test.go"]}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"overlap","params":{"left":"\#(vendor)/","right":"\#(vendor)/*_test.go","excludes_left":["\#(vendor)/*_test.go"]}}"#,
            #"{"jsonrpc":"2.0","id":4,"method":"acquire","params":{"agent":"bad","entries":["\#(vendor)/client.go"],"excludes":["\#(vendor)/"]}}"#,
        ]
        let result = try await cli.run(["serve"], input: lines.joined(separator: "\n") + "\n")
        let answers = result.stdout.split(separator: "\n").map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
        let results = answers.map { $0["result"] as? [String: Any] ?? [:] }
        #expect(results.count == 4, "\(result.stdout)\(result.stderr)")
        guard results.count == 4 else { return }
        #expect((results[0]["lock"] as? [String: Any])?["excludes"] as? [String] == ["\(vendor)/*_test.go"], "\(result.stdout)")
        #expect(results[1]["ok"] as? Bool == true, "\(result.stdout)")
        #expect(results[2]["overlap"] as? Bool == false, "\(result.stdout)")
        #expect((results[3]["error"] as? [String: Any])?["code"] as? String == "invalid_input", "\(result.stdout)")
        #expect(cli.read("locks/bad.lock") == nil)
    }

    @Test func badExcludesAreRefusedNamingThemAndWriteNothing() async throws {
        let cli = try await Self.repository()
        let vendor = Self.vendor
        let cases: [(arguments: [String], names: String)] = [
            (["--exclude", "/elsewhere/x.go"], "/elsewhere/x.go"),
            (["--exclude", "../x.go"], "../x.go"),
            (["--exclude", "\(vendor)/"], "\(vendor)/"),
            (["--exclude", "backend/**"], "backend/**"),
            (["--exclude", "\(vendor)/[ab"], "\(vendor)/[ab"),
            (["--exclude", "\(vendor)/{a,b"], "\(vendor)/{a,b"),
        ]
        for (arguments, names) in cases {
            let result = try await cli.run(["acquire", "integration-developer", "\(vendor)/"] + arguments + ["--json"])
            #expect(result.status == 2 && result.errorCode == "invalid_input", "\(arguments): \(result.stdout)")
            let message = (result.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(names), "\(arguments): \(message)")
            let check = try await cli.run(["check", "integration-developer", "\(vendor)/"] + arguments + ["--json"])
            #expect(check.errorCode == "invalid_input", "\(arguments): \(check.stdout)")
        }
        // The emptied entry is named too.
        let emptied = try await cli.run(["acquire", "a", "\(vendor)/client.go", "--exclude", "\(vendor)/*.go", "--json"])
        let message = (emptied.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("\(vendor)/client.go") && message.contains("\(vendor)/*.go"), "\(message)")
        #expect(cli.read("locks/integration-developer.lock") == nil)
        #expect(cli.read("locks/a.lock") == nil)
    }

    @Test func runHoldsAScopeWithExcludesWhileItsCommandRuns() async throws {
        let cli = try await Self.repository()
        let vendor = Self.vendor
        // While the developer's command runs, the tester takes the tests and a third agent is refused the client.
        let script = """
        "$SCOPELOCK" run integration-developer \(vendor)/ --exclude '\(vendor)/*_test.go' -- sh -c '
          "$SCOPELOCK" acquire backend-tester "\(vendor)/*_test.go" >/dev/null; echo "tester $?"
          "$SCOPELOCK" acquire reviewer \(vendor)/client.go --json; echo "reviewer $?"
          "$SCOPELOCK" status --json'
        echo "run $?"
        "$SCOPELOCK" status --json
        """
        let result = try await cli.bash(script)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(result.stdout)\(result.stderr)")
        guard lines.count == 6 else { return }
        #expect(lines[0] == "tester 0")
        #expect(lines[1].contains(#""code":"conflict""#) && lines[1].contains(#""agent":"integration-developer""#), "\(lines[1])")
        #expect(lines[2] == "reviewer 1")
        let during = try #require(try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: Any])
        let held = (during["locks"] as? [[String: Any]] ?? []).first { $0["agent"] as? String == "integration-developer" }
        #expect((held?["lock"] as? [String: Any])?["excludes"] as? [String] == ["\(vendor)/*_test.go"], "\(lines[3])")
        #expect(lines[4] == "run 0")
        // The run released the developer's lock; the tester's stays.
        let after = try #require(try JSONSerialization.jsonObject(with: Data(lines[5].utf8)) as? [String: Any])
        #expect((after["locks"] as? [[String: Any]] ?? []).compactMap { $0["agent"] as? String } == ["backend-tester"])
    }

    @Test func addMergesExcludesAndKeepsTheToken() async throws {
        let cli = try await Self.repository()
        let first = try await cli.run(["acquire", "dev", "src/", "--exclude", "src/*_test.go", "--json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let token = (first.json["lock"] as? [String: Any])?["token"] as? Int
        let added = try await cli.run(["acquire", "dev", "lib/", "--add", "--exclude", "lib/vendor/", "--json"])
        #expect(added.status == 0, "\(added.stdout)\(added.stderr)")
        let lock = try #require(added.json["lock"] as? [String: Any])
        #expect(lock["token"] as? Int == token)
        #expect(lock["directories"] as? [String] == ["src/", "lib/"])
        #expect(lock["excludes"] as? [String] == ["lib/vendor/", "src/*_test.go"])
        // Both excludes leave their paths free; what the lock covers stays held.
        let tester = try await cli.run(["acquire", "tester", "src/a_test.go", "lib/vendor/x.go", "--json"])
        #expect(tester.status == 0, "\(tester.stdout)")
        let refused = try await cli.run(["check", "other", "lib/a.go", "--json"])
        #expect(refused.errorCode == "conflict", "\(refused.stdout)")
        // An added entry its excludes remove entirely is invalid input, and the lock is left as it was.
        let before = cli.read("locks/dev.lock")
        let emptied = try await cli.run(["acquire", "dev", "docs/a.md", "--add", "--exclude", "docs/", "--json"])
        #expect(emptied.status == 2 && emptied.errorCode == "invalid_input", "\(emptied.stdout)")
        #expect(cli.read("locks/dev.lock") == before)
    }
}

/// Plans with excludes through the built binary: `reassign` on the seed's pattern gives one wave and `apply` grants
/// both; the side-by-side example manifest; a fallback says why.
@Suite(.timeLimit(.minutes(10))) struct ExclusionPlanTests {
    static let seedManifest = """
    version: 1
    workflow: seed
    root: .
    output_directory: .
    agents:
      - name: integration-developer
        directories: [backend/pkg/integrations/qualys/]
      - name: backend-tester
        files: ["backend/pkg/integrations/*/*_test.go"]
    """

    @Test func reassignOnTheSeedPatternGivesOneWaveAndApplyGrantsBoth() async throws {
        let cli = try await ExclusionTests.repository()
        try cli.write("MANIFEST.yaml", Self.seedManifest)
        let sequential = try await cli.run(["plan", "MANIFEST.yaml", "--json"])
        #expect((sequential.json["waves"] as? [[String]])?.count == 2, "\(sequential.stdout)")

        let plan = try await cli.run(["plan", "MANIFEST.yaml", "--strategy", "reassign", "--json"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.json["waves"] as? [[String]] == [["integration-developer", "backend-tester"]], "\(plan.stdout)")
        let agents = try #require(plan.json["agents"] as? [[String: Any]])
        #expect(agents.first?["excludes"] as? [String] == ["backend/pkg/integrations/*/*_test.go"])
        let validated = try await SchemaFiles.validate([plan.stdout], against: "plan-result.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        let human = try await cli.run(["plan", "MANIFEST.yaml", "--strategy", "reassign"])
        #expect(human.stdout.contains("excluded from integration-developer"), "\(human.stdout)")

        let apply = try await cli.run(["apply", "MANIFEST.yaml", "--strategy", "reassign", "--json"])
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        let locks = try #require(apply.json["locks"] as? [[String: Any]])
        #expect(locks.compactMap { $0["agent"] as? String }.sorted() == ["backend-tester", "integration-developer"])
        let owner = try await cli.run(["owner", "backend/pkg/integrations/qualys/client_test.go", "backend/pkg/integrations/qualys/client.go", "--json"])
        let owners = (owner.json["paths"] as? [[String: Any]] ?? []).map { (($0["owners"] as? [[String: Any]]) ?? []).compactMap { $0["agent"] as? String } }
        #expect(owners == [["backend-tester"], ["integration-developer"]], "\(owner.stdout)")
    }

    @Test func theSideBySideExampleIsOneWaveForEveryStrategy() async throws {
        let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/qualys/MANIFEST.side-by-side.yaml").path
        let cli = try CLI()
        for strategy in ["sequential", "reassign", "split", "merge"] {
            let plan = try await cli.run(["plan", manifest, "--strategy", strategy, "-o", cli.directory + "/out", "--json"])
            #expect(plan.status == 0, "\(strategy): \(plan.stdout)\(plan.stderr)")
            #expect((plan.json["waves"] as? [[String]])?.count == 1, "\(strategy): \(plan.stdout)")
            #expect((plan.json["conflicts"] as? [Any])?.isEmpty == true, "\(strategy): \(plan.stdout)")
        }
    }

    @Test func aPluginOfTheFirstProtocolVersionIsNeverSentExcludes() async throws {
        let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/qualys/MANIFEST.side-by-side.yaml").path
        let cli = try CLI()
        let folder = URL(fileURLWithPath: PlanSchemaTests.priorityPlugin).deletingLastPathComponent().path
        let plan = try await cli.run(["plan", manifest, "--strategy", "priority", "--plugin-dir", folder, "-o", cli.directory + "/out", "--json"])
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let warnings = (plan.json["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(warnings.contains("excludes_not_sent"), "\(plan.stdout)")
        // It planned the whole entries: the developer and the tester overlap, and no lock carries excludes.
        #expect((plan.json["waves"] as? [[String]])?.count == 2, "\(plan.stdout)")
        #expect((plan.json["agents"] as? [[String: Any]] ?? []).allSatisfy { $0["excludes"] == nil }, "\(plan.stdout)")
    }

    @Test func aFallbackSaysWhy() async throws {
        let cli = try CLI()
        try cli.write("MANIFEST.yaml", """
        version: 1
        workflow: globs
        root: .
        output_directory: .
        agents:
          - name: go
            files: ["src/*.go"]
          - name: x
            files: ["src/x*"]
        """)
        let human = try await cli.run(["plan", "MANIFEST.yaml", "--strategy", "reassign"])
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("neither src/*.go of go nor src/x* of x is the narrower claim"), "\(human.stdout)")
    }

    @Test func aManifestExcludeThatEmptiesAnEntryIsInvalidInput() async throws {
        let cli = try CLI()
        try cli.write("MANIFEST.yaml", """
        version: 1
        workflow: bad
        root: .
        output_directory: .
        agents:
          - name: dev
            files: ["src/a.go"]
            excludes: ["src/*.go"]
        """)
        let plan = try await cli.run(["plan", "MANIFEST.yaml", "--json"])
        #expect(plan.status == 2 && plan.errorCode == "invalid_input", "\(plan.stdout)")
        let message = (plan.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("src/a.go") && message.contains("src/*.go") && message.contains("MANIFEST.yaml"), "\(message)")
    }
}

/// The Claude Code hook with excludes: an excluded file is outside the agent's lock, and a claim keeps the lock's
/// excludes.
@Suite(.timeLimit(.minutes(5))) struct ExclusionHookTests {
    @Test func anExcludedFileIsOutsideTheLockAndAClaimKeepsTheExcludes() async throws {
        let cli = try CLI()
        let agent = ClaudeCodeHookTests.sessionAgent
        // The fixture edits backend/pkg/integrations/qualys/client.go; the agent's lock leaves it out.
        try await cli.run(["acquire", agent, "backend/", "--exclude", "backend/pkg/integrations/qualys/client.go"])
        let denied = try await ClaudeCodeHookTests.hook(cli, "pre-edit.json")
        #expect(denied.status == 2, "\(denied.stderr)")
        #expect(denied.stderr.contains("outside your lock"), "\(denied.stderr)")
        // A claim may not take back what the scope leaves out: refused, and the lock is as it was.
        let before = ClaudeCodeHookTests.lock(cli, agent).map(JSON.text)
        let claimed = try await ClaudeCodeHookTests.hook(cli, "pre-edit.json", ["--claim"])
        #expect(claimed.status == 2, "\(claimed.stderr)")
        #expect(ClaudeCodeHookTests.lock(cli, agent).map(JSON.text) == before)

        // Another file under the lock is allowed; a claim elsewhere keeps the excludes.
        try await cli.run(["acquire", agent, "docs/", "--exclude", "docs/secret.md"])
        let elsewhere = try await ClaudeCodeHookTests.hook(cli, "pre-edit.json", ["--claim"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        let lock = try #require(ClaudeCodeHookTests.lock(cli, agent))
        #expect(lock["excludes"] as? [String] == ["docs/secret.md"], "\(JSON.text(lock))")
    }

}
