import Foundation
import Testing

/// `plan`, `apply` and `plugins` run for real on `examples/qualys`, with the built-in strategies and the Python
/// plugin in `examples/plugins`; every `--json` output, every lock file, both example manifests and the plugin
/// protocol messages are validated against `schemas/`. Locks always go to the test's scratch directory (`-o`),
/// so nothing is written in the repository.
@Suite struct PlanSchemaTests {
    /// The repository's root, `examples/qualys` and `examples/plugins`.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let qualys = repository.appendingPathComponent("examples/qualys").path
    static let pluginFolder = repository.appendingPathComponent("examples/plugins").path
    static let priorityPlugin = pluginFolder + "/scopelock-strategy-priority"
    static let manifestYAML = qualys + "/MANIFEST.yaml"
    static let manifestJSON = qualys + "/MANIFEST.json"
    static let builtIns = ["merge", "reassign", "sequential", "split"]
    static let sequentialWaves = [["integration-developer", "frontend-developer"], ["backend-tester"]]

    // MARK: plan

    /// The sequential plan of the Qualys example: the tester's glob overlaps the developer's directory, so the
    /// tester (who depends on the developer anyway) runs in wave 2; the reviewer takes no lock. Writes nothing.
    @Test func qualysPlanMatchesItsSchemaAndTheContract() async throws {
        var session = try Session()
        let plan = try await session.json(["plan", Self.manifestYAML, "-o", session.output], schema: "plan")
        let json = plan.json
        #expect(json["workflow"] as? String == "qualys-integration")
        #expect(json["manifest"] as? String == Self.manifestYAML)
        #expect(json["output_directory"] as? String == session.output)
        let strategy = try #require(json["strategy"] as? [String: Any])
        #expect(strategy["name"] as? String == "sequential")
        #expect((strategy["version"] as? String)?.isEmpty == false)
        #expect((strategy["path"] as? String)?.hasSuffix("/scopelock-strategy-sequential") == true)

        let conflicts = try #require(json["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1, "\(plan.stdout)")
        if let conflict = conflicts.first {
            #expect(conflict["agents"] as? [String] == ["integration-developer", "backend-tester"])
            let overlap = try #require((conflict["overlaps"] as? [[String: Any]])?.first)
            #expect(overlap["entries"] as? [String] == ["backend/pkg/integrations/qualys/", "backend/pkg/integrations/*/*_test.go"])
            let witness = try #require(overlap["witness"] as? String)
            #expect(witness.hasPrefix("backend/pkg/integrations/qualys/") && witness.hasSuffix("_test.go") && !witness.dropFirst(32).contains("/"))
        }
        let actions = try #require(json["actions"] as? [[String: Any]])
        #expect(actions.map { $0["kind"] as? String } == ["sequence"], "\(plan.stdout)")
        #expect(actions.first?["agents"] as? [String] == ["integration-developer", "backend-tester"])
        #expect(json["waves"] as? [[String]] == Self.sequentialWaves)
        let agents = try #require(json["agents"] as? [[String: Any]])
        #expect(agents.map { $0["name"] as? String } == ["integration-developer", "backend-tester", "frontend-developer"])
        #expect(agents.first?["task"] as? String == "Implement Qualys integration client and collector")
        #expect(agents.first?["directories"] as? [String] == ["backend/pkg/integrations/qualys/"])
        #expect(json["read_only"] as? [String] == ["integration-reviewer"])
        let warnings = (json["warnings"] as? [[String: Any]]) ?? []
        #expect(warnings.contains { $0["code"] as? String == "hotspot" && ($0["message"] as? String)?.contains("go.mod") == true })
        #expect(warnings.contains { $0["code"] as? String == "hotspot" && ($0["message"] as? String)?.contains("frontend/src/integrations/index.ts") == true })

        // The JSON manifest is the same manifest: the same plan.
        let fromJSON = try await session.json(["plan", Self.manifestJSON, "-o", session.output], schema: "plan")
        for key in ["workflow", "conflicts", "actions", "waves", "agents", "read_only", "warnings"] {
            #expect(try Self.canonical(fromJSON.json[key]) == Self.canonical(json[key]), "\(key) differs")
        }

        // The text form says the same, on stdout, and exits 0.
        let text = try await session.cli.run(["plan", Self.manifestYAML, "-o", session.output])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("wave 1: integration-developer, frontend-developer"), "\(text.stdout)")
        #expect(text.stdout.contains("read-only: integration-reviewer"), "\(text.stdout)")

        #expect(!FileManager.default.fileExists(atPath: session.output), "plan wrote into the output directory")
        try await session.validate()
    }

    /// Every built-in strategy resolves the Qualys example into a plan the schema accepts, keeping every agent.
    @Test(arguments: ["merge", "reassign", "split", "sequential"])
    func everyBuiltInStrategyPlanMatchesTheSchema(strategy: String) async throws {
        var session = try Session()
        let plan = try await session.json(["plan", Self.manifestYAML, "--strategy", strategy, "-o", session.output], schema: "plan")
        let json = plan.json
        #expect((json["strategy"] as? [String: Any])?["name"] as? String == strategy)
        #expect((json["conflicts"] as? [Any])?.count == 1, "\(plan.stdout)")
        let agents = try #require(json["agents"] as? [[String: Any]])
        let standFor = agents.flatMap { ($0["merged_from"] as? [String]) ?? [$0["name"] as? String ?? ""] }
        #expect(standFor.sorted() == ["backend-tester", "frontend-developer", "integration-developer"], "\(plan.stdout)")
        let waves = try #require(json["waves"] as? [[String]])
        #expect(waves.flatMap { $0 }.sorted() == agents.compactMap { $0["name"] as? String }.sorted(), "\(plan.stdout)")
        #expect(!(json["actions"] as? [Any] ?? []).isEmpty, "a conflict was resolved without an action: \(plan.stdout)")
        #expect(!FileManager.default.fileExists(atPath: session.output))
        try await session.validate()
    }

    /// Without `-o`, the manifest's `output_directory` (relative to the manifest) is where apply puts the locks;
    /// run on a copy of the example so that the repository stays untouched.
    @Test func manifestOutputDirectoryIsRelativeToTheManifest() async throws {
        var session = try Session()
        let copy = session.cli.directory + "/qualys"
        try FileManager.default.copyItem(atPath: Self.qualys, toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/.scopelock")
        let plan = try await session.json(["plan", copy + "/MANIFEST.yaml"], schema: "plan")
        #expect(plan.json["output_directory"] as? String == copy + "/.scopelock")
        #expect(!FileManager.default.fileExists(atPath: copy + "/.scopelock"), "plan wrote something")
        let applied = try await session.json(["apply", copy + "/MANIFEST.yaml"], schema: "apply")
        #expect((applied.json["locks"] as? [Any])?.count == 2)
        #expect(FileManager.default.fileExists(atPath: copy + "/.scopelock/locks/integration-developer.lock"))
        #expect(FileManager.default.fileExists(atPath: copy + "/.scopelock/locks/frontend-developer.lock"))
        session.collectLocks(in: copy + "/.scopelock/locks")
        try await session.validate()
    }

    // MARK: apply

    /// Wave 1 takes the developer's and the frontend's locks with the manifest's ttl and tasks; wave 2 is refused
    /// while the developer holds the Qualys directory, and granted once it is released; a wave that does not
    /// exist is invalid input.
    @Test func applyWavesMatchTheirSchema() async throws {
        var session = try Session()
        let first = try await session.json(["apply", Self.manifestYAML, "--wave", "1", "-o", session.output], schema: "apply")
        #expect(first.json["workflow"] as? String == "qualys-integration")
        #expect(first.json["wave"] as? Int == 1 && first.json["waves"] as? Int == 2)
        let locks = try #require(first.json["locks"] as? [[String: Any]])
        #expect(locks.map { $0["agent"] as? String } == ["integration-developer", "frontend-developer"])
        #expect(locks.first?["task_description"] as? String == "Implement Qualys integration client and collector")
        for lock in locks {
            let lockedAt = try #require(Self.date(lock["locked_at"]))
            let expiresAt = try #require(Self.date(lock["expires_at"]))
            // locked_at is rounded down and expires_at up, to whole seconds: the lease lasts at least its ttl.
            #expect((3600...3601).contains(expiresAt.timeIntervalSince(lockedAt)), "ttl: 1h")
        }
        session.collectLocks()
        #expect(session.lockNames() == ["frontend-developer", "integration-developer"])

        let refused = try await session.json(["apply", Self.manifestYAML, "--wave", "2", "-o", session.output], schema: "apply", error: "conflict")
        let conflict = try #require(((refused.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])?.first)
        #expect(conflict["agent"] as? String == "integration-developer")
        #expect(conflict["held"] as? String == "backend/pkg/integrations/qualys/")
        #expect(conflict["requested"] as? String == "backend/pkg/integrations/*/*_test.go")
        #expect(session.lockNames() == ["frontend-developer", "integration-developer"], "a refused wave took a lock")

        let released = try await session.cli.run(["release", "integration-developer", "-o", session.output, "--json"])
        #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
        let second = try await session.json(["apply", Self.manifestYAML, "--wave", "2", "-o", session.output], schema: "apply")
        #expect(second.json["wave"] as? Int == 2)
        #expect((second.json["locks"] as? [[String: Any]])?.map { $0["agent"] as? String } == ["backend-tester"])
        #expect(session.lockNames() == ["backend-tester", "frontend-developer"])
        session.collectLocks()

        try await session.json(["apply", Self.manifestYAML, "--wave", "3", "-o", session.output], schema: "apply", error: "invalid_input")
        try await session.json(["apply", Self.manifestYAML, "--wave", "0", "-o", session.output], schema: "apply", error: "invalid_input")
        try await session.json(["apply", Self.manifestJSON, "--strategy", "no-such-strategy", "-o", session.output], schema: "apply", error: "plugin_error")
        try await session.json(["plan", Self.manifestJSON, "--strategy", "no-such-strategy", "-o", session.output], schema: "plan", error: "plugin_error")
        try await session.validate()
    }

    // MARK: plugins

    /// `plugins` lists the built-ins and the Python example, a plugin that cannot describe itself (with an error
    /// and a warning), and a plugin that shadows another.
    @Test func pluginsListMatchesItsSchema() async throws {
        var session = try Session()
        let listed = try await session.json(["plugins"], schema: "plugins", environment: ["SCOPELOCK_PLUGIN_PATH": Self.pluginFolder])
        let plugins = try #require(listed.json["plugins"] as? [[String: Any]])
        let names = plugins.compactMap { $0["name"] as? String }
        #expect(names == names.sorted())
        for name in Self.builtIns + ["priority"] { #expect(names.contains(name), "\(name) not listed: \(listed.stdout)") }
        let priority = try #require(plugins.first { $0["name"] as? String == "priority" })
        #expect(priority["version"] as? String == "1.0.0")
        #expect(priority["path"] as? String == Self.priorityPlugin)
        #expect(priority["shadows"] as? [String] == [])

        // A plugin that answers garbage, and a copy of priority that hides the example's.
        let broken = session.cli.directory + "/broken"
        let shadow = session.cli.directory + "/shadow"
        try Self.writeExecutable(broken + "/scopelock-strategy-broken", "#!/bin/sh\necho 'not json'\n")
        try Self.writeExecutable(shadow + "/scopelock-strategy-priority", String(contentsOfFile: Self.priorityPlugin, encoding: .utf8))
        let mixed = try await session.json(
            ["plugins", "--plugin-dir", broken, "--plugin-dir", shadow], schema: "plugins",
            environment: ["SCOPELOCK_PLUGIN_PATH": Self.pluginFolder]
        )
        let found = try #require(mixed.json["plugins"] as? [[String: Any]])
        let brokenEntry = try #require(found.first { $0["name"] as? String == "broken" })
        #expect(brokenEntry["version"] == nil && (brokenEntry["error"] as? String)?.isEmpty == false)
        let shadowing = try #require(found.first { $0["name"] as? String == "priority" })
        #expect(shadowing["path"] as? String == shadow + "/scopelock-strategy-priority")
        #expect(shadowing["shadows"] as? [String] == [Self.priorityPlugin])
        let codes = ((mixed.json["warnings"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("plugin_error") && codes.contains("shadowed_plugin"), "\(mixed.stdout)")

        try await session.json(["plugins", "--bogus"], schema: "plugins", error: "invalid_input")
        try await session.validate()
    }

    // MARK: the Python plugin

    /// The Python plugin, found through SCOPELOCK_PLUGIN_PATH, plans the Qualys example; with options it orders
    /// waves by priority and packs them; an unknown agent in the priority list is declined (plugin_error).
    @Test func priorityPluginPlansMatchTheSchema() async throws {
        var session = try Session()
        let environment = ["SCOPELOCK_PLUGIN_PATH": Self.pluginFolder]
        let qualysPlan = try await session.json(
            ["plan", Self.manifestYAML, "--strategy", "priority", "-o", session.output], schema: "plan", environment: environment
        )
        let strategy = try #require(qualysPlan.json["strategy"] as? [String: Any])
        #expect(strategy["name"] as? String == "priority" && strategy["version"] as? String == "1.0.0")
        #expect(strategy["path"] as? String == Self.priorityPlugin)
        #expect(qualysPlan.json["waves"] as? [[String]] == Self.sequentialWaves, "\(qualysPlan.stdout)")

        try session.cli.write("demo/MANIFEST.yaml", Self.demoManifest(priority: ["docs-writer"]))
        let demo = try await session.json(["plan", session.cli.directory + "/demo/MANIFEST.yaml", "-o", session.output], schema: "plan", environment: environment)
        #expect(demo.json["waves"] as? [[String]] == [["docs-writer", "web-developer"], ["app-developer"], ["tester"]], "\(demo.stdout)")
        let actions = (demo.json["actions"] as? [[String: Any]]) ?? []
        let sequenced = Set(actions.compactMap { ($0["agents"] as? [String])?.joined(separator: " before ") })
        #expect(sequenced == ["docs-writer before app-developer", "app-developer before tester"], "\(demo.stdout)")

        // The same manifest run through `strategy: {command: [...]}`: no search path needed.
        try session.cli.write("direct/MANIFEST.yaml", Self.demoManifest(priority: ["app-developer"], command: Self.priorityPlugin))
        let direct = try await session.json(["plan", session.cli.directory + "/direct/MANIFEST.yaml", "-o", session.output], schema: "plan")
        #expect(direct.json["waves"] as? [[String]] == [["app-developer", "web-developer"], ["docs-writer", "tester"]], "\(direct.stdout)")

        try session.cli.write("ghost/MANIFEST.yaml", Self.demoManifest(priority: ["ghost"]))
        let declined = try await session.json(
            ["plan", session.cli.directory + "/ghost/MANIFEST.yaml", "-o", session.output], schema: "plan", error: "plugin_error", environment: environment
        )
        let message = ((declined.json["error"] as? [String: Any])?["message"] as? String) ?? ""
        #expect(message.contains("bad_options") && message.contains("ghost"), "\(message)")
        try await session.json(
            ["apply", session.cli.directory + "/ghost/MANIFEST.yaml", "-o", session.output], schema: "apply", error: "plugin_error", environment: environment
        )
        #expect(!FileManager.default.fileExists(atPath: session.output + "/locks/docs-writer.lock"))
        try await session.validate()
    }

    /// What the host really sends the Python plugin and what it answers, recorded by a wrapper, match the plugin
    /// schemas; so do answers from running the plugin by hand (resolved and declined).
    @Test func pluginProtocolMessagesMatchTheirSchemas() async throws {
        var session = try Session()
        let records = session.cli.directory + "/records"
        try FileManager.default.createDirectory(atPath: records, withIntermediateDirectories: true)
        try Self.writeExecutable(session.cli.directory + "/recorder/scopelock-strategy-recorded", """
        #!/bin/bash
        printf '%s' "$SCOPELOCK_PROTOCOL" > \(SchemaFiles.quoted(records))/"$1".environment
        tee \(SchemaFiles.quoted(records))/"$1".request.json | \(SchemaFiles.quoted(Self.priorityPlugin)) "$1" | tee \(SchemaFiles.quoted(records))/"$1".answer.json

        """)
        let plan = try await session.json(
            ["plan", Self.manifestYAML, "--strategy", "recorded", "--plugin-dir", session.cli.directory + "/recorder", "-o", session.output],
            schema: "plan"
        )
        for verb in ["describe", "resolve"] {
            #expect(session.cli.read("records/\(verb).environment").map { String(decoding: $0, as: UTF8.self) } == "scopelock.strategy/1")
        }
        let describeRequest = try #require(session.cli.read("records/describe.request.json"))
        #expect(try JSONSerialization.jsonObject(with: describeRequest) as? [String: String] == ["protocol": "scopelock.strategy/1"])
        let request = try #require(session.cli.read("records/resolve.request.json"))
        let requestObject = try #require(try JSONSerialization.jsonObject(with: request) as? [String: Any])
        #expect(requestObject["workflow"] as? String == "qualys-integration")
        #expect((requestObject["agents"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                == ["integration-developer", "backend-tester", "frontend-developer"], "read-only agents are not sent")
        #expect(try Self.canonical(requestObject["conflicts"]) == Self.canonical(plan.json["conflicts"]), "plan's conflicts are the request's")
        let tree = (requestObject["tree"] as? [String]) ?? []
        #expect(tree.contains("backend/pkg/integrations/qualys/client_test.go"), "\(tree)")
        #expect(!tree.contains { $0.hasPrefix("frontend/") }, "the tree holds only files under conflicting scopes: \(tree)")
        session.add(try Self.line(request), schema: "plugin-resolve-request.schema.json")
        session.add(try Self.line(try #require(session.cli.read("records/resolve.answer.json"))), schema: "plugin-resolve-answer.schema.json")
        session.add(try Self.line(try #require(session.cli.read("records/describe.answer.json"))), schema: "plugin-describe.schema.json")

        // By hand, as examples/plugins/README.md shows: describe, a resolved demo and a declined one.
        let described = try await session.cli.bash("echo '{\"protocol\": \"scopelock.strategy/1\"}' | \(SchemaFiles.quoted(Self.priorityPlugin)) describe")
        #expect(described.status == 0, "\(described.stderr)")
        session.add(described.stdout, schema: "plugin-describe.schema.json")
        for (priority, status) in [(["docs-writer"], "resolved"), (["web-developer", "tester"], "resolved"), ([] as [String], "resolved"), (["qa-bot"], "declined")] {
            let demo = Self.demoRequest(priority: priority)
            session.add(demo, schema: "plugin-resolve-request.schema.json")
            try session.cli.write("demo-request.json", demo)
            let answered = try await session.cli.bash("\(SchemaFiles.quoted(Self.priorityPlugin)) resolve < demo-request.json")
            #expect(answered.status == 0, "\(answered.stderr)")
            #expect(answered.json["status"] as? String == status, "\(answered.stdout)")
            session.add(answered.stdout, schema: "plugin-resolve-answer.schema.json")
        }
        let declined = try await session.cli.bash("\(SchemaFiles.quoted(Self.priorityPlugin)) resolve <<< '{\"protocol\": \"scopelock.strategy/2\"}'")
        #expect(declined.status == 0 && (declined.json["error"] as? [String: Any])?["code"] as? String == "bad_request", "\(declined.stdout)")
        session.add(declined.stdout, schema: "plugin-resolve-answer.schema.json")
        try await session.validate()

        // The answer schema is not vacuous.
        let broken = [
            #"{"protocol": "scopelock.strategy/1", "status": "resolved", "agents": [], "waves": [[]], "actions": []}"#,
            #"{"protocol": "scopelock.strategy/1", "status": "resolved", "agents": [{"name": "a", "files": []}], "waves": [], "actions": []}"#,
            #"{"protocol": "scopelock.strategy/1", "status": "declined"}"#,
            #"{"protocol": "scopelock.strategy/9", "status": "declined", "error": {"code": "bad_options", "message": "x"}}"#,
            #"{"protocol": "scopelock.strategy/1", "status": "resolved", "agents": [], "waves": [], "actions": [{"kind": "shuffle", "agents": ["a"], "entries": [], "reason": "x"}]}"#,
            #"{"protocol": "scopelock.strategy/1", "status": "maybe"}"#,
        ]
        let rejected = try await SchemaFiles.validate(broken, against: "plugin-resolve-answer.schema.json", in: session.cli)
        #expect(rejected.status == 1)
        for number in 1...broken.count {
            #expect(rejected.stdout.split(separator: "\n").contains { $0.hasPrefix("\(number): ") }, "line \(number) was not rejected:\n\(rejected.stdout)")
        }
    }

    // MARK: manifests

    /// Both example manifests match the manifest schema and say the same thing; broken manifests are rejected by
    /// the schema and by scopelock alike.
    @Test func exampleManifestsMatchTheManifestSchema() async throws {
        let cli = try CLI()
        let fromYAML = try await Self.yamlAsJSON(Self.manifestYAML, in: cli)
        let fromJSON = try Self.line(try #require(FileManager.default.contents(atPath: Self.manifestJSON)))
        #expect(try Self.canonical(try JSONSerialization.jsonObject(with: Data(fromYAML.utf8)))
                == Self.canonical(try JSONSerialization.jsonObject(with: Data(fromJSON.utf8))), "MANIFEST.yaml and MANIFEST.json differ")
        try cli.write("demo.yaml", Self.demoManifest(priority: ["docs-writer"]))
        let demo = try await Self.yamlAsJSON(cli.directory + "/demo.yaml", in: cli)
        let accepted = try await SchemaFiles.validate([fromYAML, fromJSON, demo], against: "manifest.schema.json", in: cli)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")

        let valid = try #require(try JSONSerialization.jsonObject(with: Data(fromJSON.utf8)) as? [String: Any])
        func mutated(_ change: (inout [String: Any]) -> Void) throws -> String {
            var copy = valid
            change(&copy)
            return String(decoding: try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys]), as: UTF8.self)
        }
        func inAgent(_ index: Int, _ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { manifest in
                var agents = manifest["agents"] as! [[String: Any]]
                change(&agents[index])
                manifest["agents"] = agents
            }
        }
        let broken = [
            try mutated { $0["colour"] = "red" },
            try mutated { $0["workflow"] = nil },
            try mutated { $0["version"] = 2 },
            try mutated { $0["ttl"] = "soon" },
            try mutated { $0["strategy"] = ["name": "sequential", "command": ["./x"]] },
            try mutated { $0["strategy"] = ["name": "../x"] },
            try mutated { $0["agents"] = "everyone" },
            try mutated(inAgent(0) { $0["colour"] = "red" }),
            try mutated(inAgent(0) { $0["access"] = "admin" }),
            try mutated(inAgent(0) { $0["directories"] = nil }),
            try mutated(inAgent(1) { $0["name"] = "../tester" }),
            try mutated(inAgent(1) { $0["files"] = "backend/" }),
        ]
        let rejected = try await SchemaFiles.validate(broken, against: "manifest.schema.json", in: cli)
        #expect(rejected.status == 1)
        let lines = rejected.stdout.split(separator: "\n")
        for (number, manifest) in broken.enumerated() {
            #expect(lines.contains { $0.hasPrefix("\(number + 1): ") }, "schema accepted \(manifest)")
            // scopelock refuses the same manifest, naming the file (JSON manifests are read as YAML).
            try cli.write("broken-\(number).json", manifest)
            let planned = try await cli.run(["plan", cli.directory + "/broken-\(number).json", "-o", cli.directory + "/out", "--json"])
            #expect(planned.status == 2 && planned.errorCode == "invalid_input", "scopelock accepted \(manifest): \(planned.stdout)")
            let message = ((planned.json["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("broken-\(number).json"), "\(message)")
        }
    }

    /// A manifest with an unknown key, a duplicate agent, an unknown depends_on target or a cycle is invalid
    /// input (exit 2) whose message names file:line:column; the outputs match the plan and apply schemas.
    @Test func badManifestsAreInvalidInputWithTheirPosition() async throws {
        var session = try Session()
        let cases: [(name: String, text: String, position: String)] = [
            ("unknown-key", """
            version: 1
            workflow: w
            agents:
              - name: a
                files: [x.txt]
                colour: red
            """, ":6:5:"),
            ("duplicate", """
            workflow: w
            agents:
              - name: a
                files: [x.txt]
              - name: a
                files: [y.txt]
            """, ":5:5:"),
            ("unknown-dependency", """
            workflow: w
            agents:
              - name: a
                files: [x.txt]
                depends_on: [b]
            """, ":5:18:"),
            ("cycle", """
            workflow: w
            agents:
              - name: a
                files: [x.txt]
                depends_on: [b]
              - name: b
                files: [y.txt]
                depends_on: [a]
            """, ":"),
            ("top-level-key", """
            workflow: w
            strategy: sequential
            agent:
              - name: a
            """, ":3:1:"),
        ]
        for (name, text, position) in cases {
            try session.cli.write("\(name).yaml", text + "\n")
            let path = session.cli.directory + "/\(name).yaml"
            for command in ["plan", "apply"] {
                let result = try await session.json([command, path, "-o", session.output], schema: command, error: "invalid_input")
                let message = ((result.json["error"] as? [String: Any])?["message"] as? String) ?? ""
                let located = message.range(of: #"^\S+\.yaml:[0-9]+:[0-9]+: "#, options: .regularExpression) != nil
                #expect(message.hasPrefix(path + position) && located, "\(name): \(message)")
                #expect((result.json["error"] as? [String: Any])?["file"] as? String == path)
            }
            let text = try await session.cli.run(["plan", path, "-o", session.output])
            #expect(text.status == 2 && text.stdout.isEmpty && text.stderr.contains(path + position), "\(name): \(text.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: session.output + "/locks"))
        try await session.validate()
    }

    // MARK: helpers

    /// One scratch directory (the output directory is `<scratch>/out`), and the instances gathered in it,
    /// validated together at the end, one validator run per schema.
    struct Session {
        let cli: CLI
        var output: String { cli.directory + "/out" }
        /// Schema file name → JSON instances, one per line.
        private var instances: [String: [String]] = [:]

        init() throws { cli = try CLI() }

        /// Runs `scopelock ARGUMENTS --json`, checks the envelope (one line, `ok`, error code, exit status), and
        /// keeps the output for `<schema>-result.schema.json`.
        @discardableResult
        mutating func json(
            _ arguments: [String], schema: String, error code: String? = nil, environment: [String: String] = [:],
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> CLI.Result {
            let result = try await cli.run(arguments + ["--json"], environment: environment)
            let shown = "scopelock \(arguments.joined(separator: " ")) --json → \(result.status)\n\(result.stdout)\(result.stderr)"
            #expect(result.stdout.hasSuffix("\n") && result.stdout.dropLast().split(separator: "\n").count == 1,
                    "not exactly one line of JSON: \(shown)", sourceLocation: sourceLocation)
            #expect(result.json["ok"] as? Bool == (code == nil), "\(shown)", sourceLocation: sourceLocation)
            #expect(result.errorCode == code, "\(shown)", sourceLocation: sourceLocation)
            #expect(result.status == (code.map { SchemaFiles.exitStatus[$0] ?? -1 } ?? 0), "\(shown)", sourceLocation: sourceLocation)
            add(result.stdout, schema: "\(schema)-result.schema.json")
            return result
        }

        /// Keeps one JSON instance (a single line) for the schema file `schema`.
        mutating func add(_ line: String, schema: String) {
            instances[schema, default: []].append(line.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        /// Keeps every lock file in `directory` (default `<output>/locks`) for `lock-record.schema.json`.
        mutating func collectLocks(in directory: String? = nil) {
            let locks = directory ?? output + "/locks"
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: locks)) ?? []).sorted()
            where name.hasSuffix(".lock") && !name.hasPrefix(".") {
                guard let data = FileManager.default.contents(atPath: locks + "/" + name) else { continue }
                add(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\n", with: " "), schema: "lock-record.schema.json")
            }
        }

        /// The agents with a lock file in `<output>/locks`, sorted.
        func lockNames() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: output + "/locks")) ?? [])
                .filter { $0.hasSuffix(".lock") && !$0.hasPrefix(".") }
                .map { String($0.dropLast(".lock".count)) }
                .sorted()
        }

        func validate(sourceLocation: SourceLocation = #_sourceLocation) async throws {
            for (schema, lines) in instances.sorted(by: { $0.key < $1.key }) {
                let result = try await SchemaFiles.validate(lines, against: schema, in: cli)
                #expect(result.status == 0, "\(schema):\n\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
            }
        }
    }

    /// A manifest of four agents for the priority plugin: the app developer's directory holds the docs writer's
    /// README and the tester's tests; the web developer conflicts with nobody; the tester depends on the app.
    static func demoManifest(priority: [String], command: String? = nil) -> String {
        let list = priority.map { "\"\($0)\"" }.joined(separator: ", ")
        let strategy = command.map { "command: [\"\($0)\"]" } ?? "name: priority"
        return """
        version: 1
        workflow: demo
        root: .
        strategy:
          \(strategy)
          options:
            priority: [\(list)]
        agents:
          - name: app-developer
            directories: [src/app/]
          - name: docs-writer
            files: [src/app/README.md]
            directories: [docs/]
          - name: web-developer
            directories: [web/]
          - name: tester
            files: ["src/app/*_test.go"]
            depends_on: [app-developer]

        """
    }

    /// The request of examples/plugins/README.md, with `priority` as its option.
    static func demoRequest(priority: [String]) -> String {
        let list = priority.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"protocol": "scopelock.strategy/1", "workflow": "demo", "options": {"priority": [\#(list)]}, "agents": [{"name": "app-developer", "files": [], "directories": ["src/app/"], "depends_on": [], "held": false}, {"name": "docs-writer", "files": ["src/app/README.md"], "directories": ["docs/"], "depends_on": [], "held": false}, {"name": "web-developer", "files": [], "directories": ["web/"], "depends_on": [], "held": false}, {"name": "tester", "files": ["src/app/*_test.go"], "directories": [], "task": "Test the app", "depends_on": ["app-developer"], "held": false}], "conflicts": [{"agents": ["app-developer", "docs-writer"], "overlaps": [{"entries": ["src/app/", "src/app/README.md"], "witness": "src/app/README.md"}]}, {"agents": ["app-developer", "tester"], "overlaps": [{"entries": ["src/app/", "src/app/*_test.go"], "witness": "src/app/a_test.go"}]}], "tree": ["src/app/README.md", "src/app/main.go", "src/app/main_test.go"]}"#
    }

    /// A YAML file as one line of JSON, converted by python3's `yaml` module (PyYAML).
    static func yamlAsJSON(_ path: String, in cli: CLI) async throws -> String {
        let result = try await cli.bash(
            "python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding=\"utf-8\"))))' \(SchemaFiles.quoted(path))"
        )
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A JSON document as one compact line.
    static func line(_ data: Data) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: data)), as: UTF8.self)
    }

    /// A JSON value serialised with sorted keys, for comparing.
    static func canonical(_ value: Any?) throws -> String {
        guard let value else { return "null" }
        return String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    static func writeExecutable(_ path: String, _ contents: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}
