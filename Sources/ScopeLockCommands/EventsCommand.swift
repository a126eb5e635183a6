import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Show what happened to the locks: acquires, renewals, releases, expiries, refusals and waits.",
        discussion: """
        Reads <output>/locks/events.jsonl (the file store's log). A refusal names the lock in the way: its \
        holder, both entries and a path both cover. A line that is not JSON is skipped and counted.

        Example:
          scopelock events --since 15m
          scopelock events --agent backend-tester --json
          scopelock events --follow
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this agent's events (as the actor, or as the holder in a refusal).") var agent: String?
    @Option(help: ArgumentHelp("Only events at or after this time: RFC 3339, or a duration back from now (15m, 2h).", valueName: "time"))
    var since: String?
    @Flag(help: "Keep printing new events as they are logged (Ctrl-C ends it); with --json, one event object per line.")
    var follow = false

    func run() throws {
        let workspace = global.workspace()
        let request = EventsRequest(agent: agent, since: since)
        if follow {
            do throws(ErrorInfo) {
                try EventsFollow(workspace: workspace, request: request, json: global.json).run()
            } catch {
                try Output.finish(Outcome<Empty>(error: error), json: global.json) { _ in "" }
            }
            return
        }
        let style = TerminalStyle.forStandardOutput()
        try Output.finish(workspace.events(request), json: global.json) { result in
            result.events.map { EventLine.render($0, style: style) }.joined(separator: "\n")
        }
    }
}
