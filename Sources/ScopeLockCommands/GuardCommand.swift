import ArgumentParser
import ScopeLockCore

struct GuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Check that changed paths lie inside the agent's lock and outside every other agent's.",
        discussion: """
        The paths are the ones staged in git (--staged), the ones changed in the work tree since a revision \
        (--since REV), or the PATHs given, relative to --root. A rename counts both names. Each must be covered by \
        AGENT's active lock and by no other agent's active exclusive lock; otherwise exit 1 (guard_violation), \
        listing each path, why, and the lock covering it. An agent without an active lock may change nothing.

        Example:
          scopelock guard "$SCOPELOCK_AGENT" --staged          # in a pre-commit hook
          scopelock guard dev --since main --json
          scopelock guard dev src/app/main.go docs/notes.md
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent making the change.") var agent: String
    @Argument(help: "Changed paths, relative to the root (instead of --staged or --since).") var paths: [String] = []
    @Flag(help: "Check the paths staged for the next commit (git diff --cached).") var staged = false
    @Option(help: ArgumentHelp("Check the paths changed in the work tree since this revision (git diff REV).", valueName: "rev"))
    var since: String?

    func run() async throws {
        let request = GuardRequest(agent: agent, paths: paths.isEmpty ? nil : paths, staged: staged ? true : nil, since: since)
        let outcome = await global.workspace().guard(request)
        try Output.finish(outcome, json: global.json) { result in
            result.paths.isEmpty
                ? "guard: no changed paths"
                : "guard: \(result.paths.count) changed path(s), all inside \(result.agent)'s lock"
        }
    }
}
