import ArgumentParser
import ScopeLockCore

struct AcquireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acquire",
        abstract: "Take (or replace, or with --add extend) an agent's lock on files, directories and globs, all or nothing.",
        discussion: """
        An entry ending in / is a directory (everything beneath it); one with *, ?, [ or { is a glob; \
        anything else is a file. Paths are relative to --root. Exits 1 on a conflict, naming the holder and \
        a path both scopes cover.

        Example:
          scopelock acquire integration-developer backend/pkg/integrations/qualys/ \\
              --task "Implement Qualys client" --ttl 1h
          scopelock acquire backend-tester 'backend/pkg/integrations/*/*_test.go' --wait 5m --json
          scopelock acquire integration-developer docs/qualys.md --add      # extend, same token
          scopelock acquire reviewer src/ --pid $PPID      # the lock lives with that process
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent taking the lock (also the lock file's name).") var agent: String
    @Argument(help: "Files, directories (ending in /) and globs.") var entries: [String] = []
    @Option(help: "What the agent is doing, recorded as task_description.") var task: String?
    @Option(help: "How long the lock lasts: 90s, 15m, 1h, 1h30m or seconds (default 1h).") var ttl: String?
    @Flag(help: "Take a shared lock: other shared locks on the same scope are allowed.") var shared = false
    @Option(help: "On conflict, wait in line (first come, first served) for this long before exiting 4.") var wait: String?
    @Flag(help: "Add the entries to the agent's active lock, keeping its token and expiry.") var add = false
    @Option(help: "The process the lock lives with: once it is gone, the lock is dead and frees its scope.") var pid: Int32?
    @Option(name: .customLong("exclude"), help: "An entry the scope does not cover (repeatable), e.g. 'qualys/*_test.go'.")
    var excludes: [String] = []

    func run() async throws {
        let request = AcquireRequest(
            agent: agent, entries: entries, task: task, ttl: ttl, shared: shared ? true : nil, wait: wait,
            add: add ? true : nil, pid: pid, excludes: excludes.isEmpty ? nil : excludes
        )
        let outcome = await global.workspace().acquire(request, progress: WaitProgressPrinter.print)
        try Output.finish(outcome, json: global.json) { result in
            "acquired \(result.lock.agent): token \(result.lock.token ?? 0), expires \(Timestamp.format(result.lock.expiresAt))"
        }
    }
}
