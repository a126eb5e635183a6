import ArgumentParser
import ScopeLockCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Find the conflicts of a workflow manifest and print a resolved, wave-ordered plan. Writes nothing.",
        discussion: """
        Conflicts between agents that take locks go to the strategy plugin (the manifest's, or --strategy); \
        its answer is checked before it is printed: no agent or file lost, no conflict inside a wave, \
        depends_on respected. --format mermaid or dot draws the plan.

        Example:
          scopelock plan examples/qualys/MANIFEST.yaml
          scopelock plan examples/qualys/MANIFEST.yaml --strategy merge --json
          scopelock plan MANIFEST.yaml --format mermaid > plan.mmd
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, mermaid, dot }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PlanOptions
    @Option(help: "Output: text, json, mermaid or dot (default text; --json means json).") var format: Format?

    func run() async throws {
        let request = PlanRequest(manifest: options.manifest, strategy: options.strategy, pluginTimeout: options.pluginTimeout)
        let outcome = await global.workspace(pluginDirectories: options.pluginDirectories).plan(request)
        let format = format ?? (global.json ? .json : .text)
        try Output.finish(outcome, json: format == .json) { plan in
            switch format {
            case .mermaid: PlanRenderer.mermaid(plan)
            case .dot: PlanRenderer.dot(plan)
            case .text, .json: PlanRenderer.text(plan)
            }
        }
    }
}
