import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Subprocess

/// Renders Graphviz text to SVG with the `dot` program, when it is installed.
enum Graphviz {
    /// The `dot` executable on `PATH`, if any.
    static func locate(environment: [String: String] = ProcessEnvironment.current) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `source` drawn as SVG by `dot -Tsvg`; `io_error` when `dot` is missing or fails.
    static func svg(_ source: String) async throws(ErrorInfo) -> String {
        guard let dot = locate() else {
            throw ErrorInfo(.ioError, "--format svg needs Graphviz's dot program, which is not on PATH: install graphviz (e.g. apt-get install graphviz), or use --format dot and draw it elsewhere")
        }
        let answer: (status: TerminationStatus, svg: String?, errors: String)
        do {
            let result = try await Subprocess.run(
                .path(.init(dot)), arguments: ["-Tsvg"], input: .string(source),
                output: .string(limit: 64 << 20), error: .string(limit: 1 << 20)
            )
            answer = (result.terminationStatus, result.standardOutput, result.standardError)
        } catch {
            throw ErrorInfo(.ioError, "could not run \(dot): \(error)")
        }
        guard answer.status.isSuccess, let svg = answer.svg else {
            throw ErrorInfo(.ioError, "\(dot) -Tsvg failed (\(answer.status)): \(answer.errors.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return svg
    }
}
