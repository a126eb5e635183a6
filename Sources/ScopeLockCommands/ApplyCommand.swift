import ArgumentParser
import ScopeLockCore

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan a manifest, then acquire one wave's locks, all or nothing.",
        discussion: """
        Locks get the manifest's ttl and each agent's task. If any lock of the wave conflicts with a lock \
        held outside the wave, none is taken (exit 1).

        Example:
          scopelock apply examples/qualys/MANIFEST.yaml            # wave 1
          scopelock apply examples/qualys/MANIFEST.yaml --wave 2 --json
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: PlanOptions
    @Option(help: "The wave to acquire, from 1 (default 1).") var wave: Int?

    func run() async throws {
        let request = ApplyRequest(manifest: options.manifest, strategy: options.strategy, pluginTimeout: options.pluginTimeout, wave: wave)
        let outcome = await global.workspace(pluginDirectories: options.pluginDirectories).apply(request)
        try Output.finish(outcome, json: global.json) { result in
            "wave \(result.wave) of \(result.waves): acquired "
                + result.locks.map { "\($0.agent) (token \($0.token ?? 0))" }.joined(separator: ", ")
                + "\nexport SCOPELOCK_OUTPUT_DIR=\(ShellQuote.quoted(result.outputDirectory))"
        }
    }
}
