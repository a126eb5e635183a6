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
        ]
    )

    public init() {}

    /// Runs the command line, mapping usage errors to exit 2 (as JSON with `--json`).
    public static func execute() async {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)  // a file size limit is an io_error, not a silent death
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            let message = fullMessage(for: error)
            if arguments.contains("--json") {
                print(Output.jsonLine(Outcome<Empty>(error: ErrorInfo(.invalidInput, message))))
            } else {
                Output.printError(message)
            }
            Foundation.exit(ErrorCode.invalidInput.exitCode)
        }
    }
}
