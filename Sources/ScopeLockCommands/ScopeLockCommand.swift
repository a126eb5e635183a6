import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// The `scopelock` command line: one subcommand per operation.
public struct ScopeLockCommand: ParsableCommand {
    /// The tool's version, also printed by `--version`.
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "scopelock",
        abstract: "Keep parallel coding agents from editing the same files.",
        discussion: """
        Each agent's scope (files, directories/, globs) is a lock file in <output>/locks/<agent>.lock. \
        Overlapping scopes conflict; every conflict names a path both scopes cover.

        Example:
          scopelock acquire dev src/app/ --task "build the app"
          scopelock acquire tester 'src/**/*_test.go'      # exit 1: conflict, witness src/app/_test.go
          scopelock release dev

        Exit codes: 0 done, 1 refused, 2 invalid input, 3 environment failure, 4 timed out.
        """,
        version: version,
        subcommands: [
            AcquireCommand.self, ReleaseCommand.self, RenewCommand.self, StatusCommand.self, CheckCommand.self,
            OwnerCommand.self, OverlapCommand.self, PruneCommand.self, ClearCommand.self, PlanCommand.self,
            ApplyCommand.self, PluginsCommand.self, GuardCommand.self, ServeCommand.self, MCPCommand.self,
            HookCommand.self, InstallCommand.self,
            EventsCommand.self, DashboardCommand.self,
            WhereCommand.self, InitCommand.self,
            RunCommand.self, RunExecCommand.self,
        ]
    )

    public init() {}
}
