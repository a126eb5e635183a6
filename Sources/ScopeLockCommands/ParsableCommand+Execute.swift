import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

extension ParsableCommand {
    /// Runs the command line of the executable rooted at this command, mapping usage errors to exit 2
    /// (as JSON with `--json`).
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
