import Foundation
import ScopeLockProtocol

/// The whole life of a strategy plugin process: read the verb and stdin, answer on stdout, exit.
public enum PluginMain {
    /// Runs `strategy` as a plugin executable; never returns.
    public static func run(_ strategy: some Strategy, arguments: [String] = CommandLine.arguments) -> Never {
        let verb = arguments.dropFirst().first ?? ""
        switch verb {
        case "describe":
            _ = FileHandle.standardInput.readDataToEndOfFile()
            write(strategy.description)
        case "resolve":
            let input = FileHandle.standardInput.readDataToEndOfFile()
            do {
                let request = try decode(input)
                var answer = strategy.resolve(request)
                answer.protocol = request.protocol  // answered in the version asked
                write(answer)
            } catch {
                write(ResolveAnswer.declined(code: "bad_request", message: "\(error)"))
            }
        default:
            FileHandle.standardError.write(Data("usage: \(arguments.first ?? "plugin") describe|resolve (JSON on stdin, protocol \(StrategyProtocol.identifier))\n".utf8))
            exit(2)
        }
        exit(0)
    }

    /// Decodes a request, checking its protocol before anything else.
    public static func decode(_ data: Data) throws -> ResolveRequest {
        struct Header: Decodable { let `protocol`: String }
        let header = try JSONDecoder().decode(Header.self, from: data)
        guard StrategyProtocol.supported.contains(header.protocol) else {
            throw ProtocolMismatch(received: header.protocol)
        }
        return try JSONDecoder().decode(ResolveRequest.self, from: data)
    }

    private static func write(_ value: some Encodable) {
        let line = (try? JSONCoding.line(value)) ?? "{}"
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// A message of another protocol version than this plugin speaks.
public struct ProtocolMismatch: Error, CustomStringConvertible {
    public let received: String
    public var description: String { "protocol \(received.debugDescription) is not one of \(StrategyProtocol.supported.joined(separator: ", "))" }
}
