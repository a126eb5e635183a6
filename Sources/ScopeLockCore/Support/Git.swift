import Foundation
import ScopeLockProtocol
import Subprocess

/// Runs `git` for the operations that read a repository (`guard`), with swift-subprocess.
enum Git {
    /// The most bytes of output read from one git command.
    static let outputLimit = 64 << 20

    /// Runs `git ARGUMENTS` in `directory` and returns its stdout. A git that cannot be started is an
    /// `io_error`; one that fails (not a repository, unknown revision) is `invalid_input` with git's message.
    static func run(_ arguments: [String], in directory: String) async throws(ErrorInfo) -> [UInt8] {
        let shown = (["git"] + arguments).joined(separator: " ")
        let result: ExecutionResult<Void, BytesOutput, StringOutput<UTF8>>
        do {
            result = try await Subprocess.run(
                .name("git"),
                arguments: .init(arguments),
                environment: .inherit.updating(["GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"]),
                workingDirectory: .init(directory),
                input: .none,
                output: .bytes(limit: outputLimit),
                error: .string(limit: 64 << 10)
            )
        } catch let error as SubprocessError where error.code == .outputLimitExceeded {
            throw ErrorInfo(.ioError, "`\(shown)` printed more than \(outputLimit >> 20) MiB", file: directory)
        } catch {
            throw ErrorInfo(.ioError, "cannot run `\(shown)` in \(directory): \(error)", file: directory)
        }
        guard case .exited(0) = result.terminationStatus else {
            let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ErrorInfo(.invalidInput, "`\(shown)` failed in \(directory): \(message.isEmpty ? "\(result.terminationStatus)" : message)")
        }
        return result.standardOutput
    }
}
