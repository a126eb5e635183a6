import ArgumentParser
import ScopeLockCore

struct WhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "where",
        abstract: "Show the root, output directory and store every other command would use here, and why.",
        discussion: """
        Agents started in any folder of a repository, or in any of its git worktrees, meet in one lock folder: \
        <git common dir>/scopelock unless -o, SCOPELOCK_OUTPUT_DIR or .scopelock.yaml say otherwise.

        Example:
          scopelock where
          scopelock where --json
        """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let outcome = global.workspace().where()
        try Output.finish(outcome, json: global.json) { result in
            [
                "root              \(result.root)  (\(result.reasons.root.explanation))",
                "output directory  \(result.outputDirectory)  (\(result.reasons.outputDirectory.explanation))",
                "store             \(result.store)  (\(result.reasons.store.explanation))",
                "locks             \(result.lockFolder)",
            ].joined(separator: "\n")
        }
    }
}
