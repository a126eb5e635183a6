import ArgumentParser
import ScopeLockCore
import ScopeLockProtocol

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the conflicts of a workflow manifest and print a resolved, wave-ordered plan. Writes nothing.",
        discussion: """
        Conflicts between agents that take locks go to the strategy plugin (the manifest's, or --strategy); \
        its answer is checked before it is printed: no agent or file lost, no conflict inside a wave, \
        depends_on respected. --format mermaid, dot or svg draws the plan: each agent's scope, the waves in \
        order, depends_on as arrows, read-only agents, and conflicts with their witness (svg needs Graphviz's dot).

        Example:
          scopelock plan examples/qualys/MANIFEST.yaml
          scopelock plan examples/qualys/MANIFEST.yaml --strategy merge --json
          scopelock plan MANIFEST.yaml --format mermaid > plan.mmd
          scopelock plan MANIFEST.yaml --format svg > plan.svg
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, mermaid, dot, svg }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PlanOptions
    @Option(help: "Output: text, json, mermaid, dot or svg (default text; --json means json).") var format: Format?

    /// `--json` with a drawing would print something that is not JSON: a usage error, not ignored.
    func validate() throws {
        if global.json, let format, format != .json {
            throw ValidationError("--json cannot be combined with --format \(format.rawValue): use one of them")
        }
    }

    func run() async throws {
        let request = PlanRequest(manifest: options.manifest, strategy: options.strategy, pluginTimeout: options.pluginTimeout)
        var outcome = await global.workspace(pluginDirectories: options.pluginDirectories).plan(request)
        let format = format ?? (global.json ? .json : .text)
        var svg = ""
        if format == .svg, let plan = outcome.value {
            do throws(ErrorInfo) {
                svg = try await Graphviz.svg(PlanRenderer.dot(plan))
            } catch {
                outcome = Outcome(error: error, warnings: outcome.warnings)
            }
        }
        try Output.finish(outcome, json: format == .json) { plan in
            switch format {
            case .mermaid: PlanRenderer.mermaid(plan)
            case .dot: PlanRenderer.dot(plan)
            case .svg: svg
            case .text, .json: PlanRenderer.text(plan)
            }
        }
    }
}
