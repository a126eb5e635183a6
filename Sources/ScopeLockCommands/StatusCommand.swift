import ArgumentParser
import ScopeLockCore
import ScopeLockProtocol

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
          scopelock status --watch
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Show only this agent's record.") var agent: String?
    @Flag(help: "Redraw the table whenever the locks change (q or Ctrl-C ends it); with --json, one status object per change, one per line.")
    var watch = false

    func run() throws {
        let workspace = global.workspace()
        if watch {
            do throws(ErrorInfo) {
                try StatusWatch(workspace: workspace, request: StatusRequest(agent: agent), json: global.json).run()
            } catch {
                try Output.finish(Outcome<Empty>(error: error), json: global.json) { _ in "" }
            }
            return
        }
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
