import Foundation
import Subprocess
import Testing

/// `plan --format dot|mermaid|svg`: scopes, waves in order, depends_on arrows, read-only agents and conflicts
/// with their witness, for the Qualys example; the dot output renders with Graphviz.
@Suite struct PlanPictureTests {
    static let manifest = Golden.repository.appendingPathComponent("examples/qualys/MANIFEST.yaml").path

    func plan(_ cli: CLI, _ arguments: [String]) async throws -> CLI.Result {
        try await cli.run(["plan", Self.manifest, "-o", cli.directory] + arguments)
    }

    @Test func dotOfTheQualysExample() async throws {
        let cli = try CLI()
        let dot = try await plan(cli, ["--format", "dot"])
        #expect(dot.status == 0, "\(dot.stderr)")
        try Golden.check(dot.stdout, "qualys-plan.dot")
        #expect(dot.stdout.contains("\"integration-developer\" -> \"backend-tester\" [color"), "depends_on as an arrow")
        #expect(dot.stdout.contains("conflict: backend/pkg/integrations/qualys/"), "the conflict's witness")
        #expect(dot.stdout.contains("cluster_read_only"), "read-only agents apart")

        // Graphviz draws it, and the drawing holds every agent and the witness.
        try cli.write("plan.dot", dot.stdout)
        let rendered = try await cli.bash("dot -Tsvg plan.dot -o plan.svg && cat plan.svg")
        #expect(rendered.status == 0, "dot failed: \(rendered.stderr)")
        for name in ["integration-developer", "backend-tester", "integration-reviewer", "frontend-developer", "wave 1", "wave 2"] {
            // Graphviz writes "-" as &#45; and spaces in labels as &#160;.
            let svgText = name.replacingOccurrences(of: "-", with: "&#45;")
            #expect(rendered.stdout.contains(svgText) || rendered.stdout.contains(svgText.replacingOccurrences(of: " ", with: "&#160;")), "\(name) in the SVG")
        }
        #expect(rendered.stderr.isEmpty, "Graphviz warned: \(rendered.stderr)")
    }

    @Test func mermaidOfTheQualysExample() async throws {
        let cli = try CLI()
        let mermaid = try await plan(cli, ["--format", "mermaid"])
        #expect(mermaid.status == 0, "\(mermaid.stderr)")
        try Golden.check(mermaid.stdout, "qualys-plan.mmd")
    }

    @Test func svgThroughGraphviz() async throws {
        let cli = try CLI()
        let svg = try await plan(cli, ["--format", "svg"])
        #expect(svg.status == 0, "\(svg.stderr)")
        #expect(svg.stdout.contains("<svg"))
        #expect(svg.stdout.contains("backend&#45;tester"))
    }

    @Test func svgWithoutGraphvizIsAClearError() async throws {
        let cli = try CLI()
        // A PATH without Graphviz: the strategy plugins are found next to scopelock.
        let svg = try await cli.run(["plan", Self.manifest, "-o", cli.directory, "--format", "svg"], environment: ["PATH": "/nonexistent"])
        #expect(svg.status == 3)
        #expect(svg.stderr.contains("graphviz"), "\(svg.stderr)")
    }

    @Test func drawingWithJSONIsAUsageError() async throws {
        let cli = try CLI()
        let both = try await plan(cli, ["--format", "dot", "--json"])
        #expect(both.status == 2)
        #expect(both.errorCode == "invalid_input")
        #expect((both.json["error"] as? [String: Any])?["message"] as? String ?? "" != "")
        let jsonFormat = try await plan(cli, ["--format", "json", "--json"])
        #expect(jsonFormat.status == 0)
        #expect((jsonFormat.json["depends_on"] as? [String: [String]])?["backend-tester"] == ["integration-developer"])
    }
}
