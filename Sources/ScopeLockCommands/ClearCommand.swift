import ArgumentParser
import ScopeLockCore

struct ClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear",
        abstract: "The workflow is done: remove the locks directory.",
        discussion: """
        Refused (exit 1) while active or invalid records remain, unless --force.

        Example:
          scopelock clear -o build/workflow
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Remove it even while locks are active.") var force = false

    func run() throws {
        let outcome = global.workspace().clear(ClearRequest(force: force ? true : nil))
        try Output.finish(outcome, json: global.json) { result in
            result.directoryRemoved ? "cleared \(result.removed.count) lock(s)" : "nothing to clear"
        }
    }
}
