import ArgumentParser
import ScopeLockCore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Show what acquiring a scope would meet, writing nothing (exit 1 on conflicts).",
        discussion: """
        Example:
          scopelock check backend-tester 'backend/pkg/integrations/*/*_test.go'
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The agent that would take the lock.") var agent: String
    @Argument(help: "Files, directories (ending in /) and globs.") var entries: [String] = []
    @Flag(help: "Check for a shared lock.") var shared = false
    @Option(name: .customLong("exclude"), help: "An entry the scope does not cover (repeatable).") var excludes: [String] = []

    func run() throws {
        let outcome = global.workspace().check(CheckRequest(
            agent: agent, entries: entries, shared: shared ? true : nil, excludes: excludes.isEmpty ? nil : excludes
        ))
        try Output.finish(outcome, json: global.json) { _ in "no conflicts: \(agent) could acquire this scope" }
    }
}
