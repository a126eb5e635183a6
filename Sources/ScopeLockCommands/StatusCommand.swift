import ArgumentParser
import ScopeLockCore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the locks: a table for people (root, lock folder, one row per lock, a summary), or --json.",
        discussion: """
        The table shows each lock's agent, state, mode, time left (59m, 2h05m), task and scope; expired and \
        invalid records are set apart below the active ones. Colour only on a terminal, never with NO_COLOR.

        Example:
          scopelock status
          scopelock status backend-tester --json
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Show only this agent's record.") var agent: String?

    func run() throws {
        let workspace = global.workspace()
        let outcome = workspace.status(StatusRequest(agent: agent))
        let table = StatusTable(header: .init(workspace), style: .forStandardOutput())
        try Output.finish(outcome, json: global.json) { table.render($0) }
    }
}

extension StatusTable.Header {
    /// The header of a workspace: its root, where its locks are and which store keeps them, each with the
    /// rule that chose it (as `scopelock where` tells them).
    init(_ workspace: Workspace) {
        let location = workspace.location
        self.init(
            root: location.root, locks: workspace.store.location, store: location.store,
            rootReason: location.rootRule.explanation, locksReason: "output directory: " + location.outputDirectoryRule.explanation,
            storeReason: location.storeRule.explanation
        )
    }
}
