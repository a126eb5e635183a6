import Foundation
import Testing

/// `plan` and `apply` through the built binary, on the shipped Qualys example and on bad manifests.
@Suite struct PlanApplyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let qualys = repository + "/examples/qualys/MANIFEST.yaml"

    @Test func planTheQualysExample() async throws {
        let cli = try CLI()
        let result = try await cli.run(["plan", Self.qualys, "-o", cli.directory, "--json"])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let conflicts = try #require(result.json["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1)
        #expect(conflicts.first?["agents"] as? [String] == ["integration-developer", "backend-tester"])
        let witness = ((conflicts.first?["overlaps"] as? [[String: Any]])?.first?["witness"] as? String) ?? ""
        #expect(witness.hasPrefix("backend/pkg/integrations/qualys/") && witness.hasSuffix("_test.go"))
        let waves = try #require(result.json["waves"] as? [[String]])
        #expect(waves == [["integration-developer", "frontend-developer"], ["backend-tester"]])
        #expect(result.json["read_only"] as? [String] == ["integration-reviewer"])
        #expect((result.json["strategy"] as? [String: Any])?["name"] as? String == "sequential")
        // plan writes nothing.
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/locks"))

        let text = try await cli.run(["plan", Self.qualys, "-o", cli.directory])
        #expect(text.stdout.contains("wave 2: backend-tester"))
        let mermaid = try await cli.run(["plan", Self.qualys, "-o", cli.directory, "--format", "mermaid"])
        #expect(mermaid.stdout.contains("\nflowchart LR\n") && mermaid.stdout.contains("wave 2"))
        let dot = try await cli.run(["plan", Self.qualys, "-o", cli.directory, "--format", "dot"])
        #expect(dot.stdout.hasPrefix("digraph plan {") && dot.stdout.contains("cluster_wave2"))
    }

    @Test(arguments: ["sequential", "reassign", "split", "merge"])
    func everyBuiltInStrategyPlansTheExample(_ strategy: String) async throws {
        let cli = try CLI()
        let result = try await cli.run(["plan", Self.qualys, "-o", cli.directory, "--strategy", strategy, "--json"])
        #expect(result.status == 0, "\(strategy): \(result.stdout) \(result.stderr)")
        #expect((result.json["strategy"] as? [String: Any])?["name"] as? String == strategy)
    }

    @Test func applyAcquiresOneWaveAllOrNothing() async throws {
        let cli = try CLI()
        let first = try await cli.run(["apply", Self.qualys, "-o", cli.directory, "--json"])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        let locks = try #require(first.json["locks"] as? [[String: Any]])
        #expect(Set(locks.compactMap { $0["agent"] as? String }) == ["integration-developer", "frontend-developer"])
        #expect(locks.first { $0["agent"] as? String == "integration-developer" }?["task_description"] as? String
            == "Implement Qualys integration client and collector")

        // Wave 2 overlaps the developer's lock, still held: nothing is taken.
        let second = try await cli.run(["apply", Self.qualys, "-o", cli.directory, "--wave", "2", "--json"])
        #expect(second.status == 1 && second.errorCode == "conflict", "\(second.stdout)")
        #expect(cli.read("locks/backend-tester.lock") == nil)

        #expect(try await cli.run(["release", "integration-developer"]).status == 0)
        let retried = try await cli.run(["apply", Self.qualys, "-o", cli.directory, "--wave", "2", "--json"])
        #expect(retried.status == 0, "\(retried.stdout)")
        #expect(cli.read("locks/backend-tester.lock") != nil)

        let missing = try await cli.run(["apply", Self.qualys, "-o", cli.directory, "--wave", "3", "--json"])
        #expect(missing.status == 2 && missing.errorCode == "invalid_input")
    }

    @Test(arguments: [
        ("version: 1\nworkflow: w\nagnets: []\n", "3:1", "unknown key \"agnets\""),
        ("version: 1\nworkflow: w\nagents:\n  - name: a\n    files: [x]\n  - name: a\n    files: [y]\n", "6:5", "duplicate agent name"),
        ("version: 1\nworkflow: w\nagents:\n  - name: a\n    files: [x]\n    depends_on: [ghost]\n", "6:18", "ghost"),
        ("version: 1\nworkflow: w\nagents:\n  - name: a\n    files: [x]\n    depends_on: [b]\n  - name: b\n    files: [y]\n    depends_on: [a]\n", "4:5", "cycle"),
        ("version: 1\nworkflow: w\nagents:\n  - name: a\n    files: [\"src/[ab\"]\n", "5:13", "["),
        ("version: 1\nworkflow: w\nagents:\n  - name: ../x\n    files: [x]\n", "4:11", "agent name"),
        ("version: 1\nworkflow: w\nagents:\n  - name: a\n    files: [x\n", "", "MANIFEST.yaml:"),
        ("{\"version\": 1, \"workflow\": \"w\", \"agents\": [{\"name\": \"a\", \"files\": [\"x\"], \"color\": 1}]}", "1:74", "unknown key \"color\""),
    ])
    func badManifestsNameFileLineAndColumn(_ text: String, _ position: String, _ mentioned: String) async throws {
        let cli = try CLI()
        try cli.write("MANIFEST.yaml", text)
        let result = try await cli.run(["plan", "MANIFEST.yaml", "--json"])
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        let error = try #require(result.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_input")
        let message = error["message"] as? String ?? ""
        #expect(message.contains("MANIFEST.yaml:\(position)"), "\(message)")
        #expect(message.contains(mentioned), "\(message)")
    }

    @Test func theJSONManifestPlansLikeTheYAMLOne() async throws {
        let cli = try CLI()
        let yaml = try await cli.run(["plan", Self.qualys, "-o", cli.directory, "--json"])
        let json = try await cli.run(["plan", Self.repository + "/examples/qualys/MANIFEST.json", "-o", cli.directory, "--json"])
        #expect(json.status == 0, "\(json.stdout)")
        #expect(json.json["waves"] as? [[String]] == yaml.json["waves"] as? [[String]])
    }

    @Test func aCustomPythonStrategyIsFoundOnThePluginPath() async throws {
        let cli = try CLI()
        let result = try await cli.run(
            ["plan", Self.qualys, "-o", cli.directory, "--strategy", "priority", "--json"],
            environment: ["SCOPELOCK_PLUGIN_PATH": Self.repository + "/examples/plugins"]
        )
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect((result.json["strategy"] as? [String: Any])?["name"] as? String == "priority")
        let plugins = try await cli.run(["plugins", "--json"], environment: ["SCOPELOCK_PLUGIN_PATH": Self.repository + "/examples/plugins"])
        let names = (plugins.json["plugins"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Set(names).isSuperset(of: ["sequential", "reassign", "split", "merge", "priority"]))
    }
}
