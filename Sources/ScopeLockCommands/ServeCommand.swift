import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer JSON-RPC 2.0 requests on stdin, one per line, with the lock operations.",
        discussion: """
        Methods: acquire, release, renew, status, check, owner, overlap, prune, clear, plan, apply, plugins, \
        guard, describe. Params use the request field names (agent, entries, ttl, token, ...) plus output_dir, \
        root and plugin_dir, which choose the workspace of one request. Each result is exactly the object the \
        command prints with --json, so a refused lock is a result with "ok": false. Requests are answered one \
        at a time, in order, one line each; a request without an id gets no answer. A line longer than 1 MiB \
        is refused and skipped. The session ends at end of input, with exit 0. See docs/protocols.md.

        Example:
          echo '{"jsonrpc":"2.0","id":1,"method":"status"}' | scopelock serve
          scopelock serve -o build/workflow < requests.jsonl
        """
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let dispatcher = RPCDispatcher(defaults: options.defaults)
        var reader = LineReader(fileDescriptor: STDIN_FILENO, limit: LineReader.requestLimit)
        let writer = LineWriter(fileDescriptor: STDOUT_FILENO)
        do {
            while let line = try reader.next() {
                let answer: String?
                switch line {
                case .text(let text):
                    answer = await dispatcher.respond(to: text)
                case .tooLong:
                    answer = RPCResponse.failure(id: .null, error: .invalidRequest(
                        "invalid request: the line is longer than 1 MiB (\(LineReader.requestLimit) bytes); it was skipped"
                    ))
                }
                if let answer { try writer.write(answer) }
            }
        } catch {
            Output.printError("scopelock serve: \(error.localizedDescription); ending the session")
            throw ExitCode(ErrorCode.ioError.exitCode)
        }
    }
}
