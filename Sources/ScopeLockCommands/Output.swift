import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// Prints an outcome as `--json` or as short human text (diagnostics on stderr), then ends with its exit code.
/// Human text never carries terminal control characters raw: fields written by agents or plugins are escaped
/// (`ControlCharacters.escaped`) where each command lays them out (the body may carry the tool's own colours),
/// and warnings and errors are escaped whole.
package enum Output {
    static func finish<Value>(_ outcome: Outcome<Value>, json: Bool, text: (Value) -> String) throws {
        if json {
            print(jsonLine(outcome))
        } else {
            if let value = outcome.value {
                let body = text(value)
                if !body.isEmpty { print(body) }
            }
            for warning in outcome.warnings { printError("warning: " + ControlCharacters.escaped(warning.message)) }
            if let error = outcome.error { printError(describe(error)) }
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// One compact JSON line for `value`, or an `io_error` result if it cannot be encoded.
    package static func jsonLine(_ value: some Encodable) -> String {
        (try? JSONCoding.line(value)) ?? #"{"error":{"code":"io_error","message":"cannot encode the result"},"ok":false}"#
    }

    /// The human form of an error: the message, then one line per conflict.
    static func describe(_ error: ErrorInfo) -> String {
        let safe = { (text: String) in ControlCharacters.escaped(text) }
        var lines = ["scopelock: \(error.code.rawValue): \(safe(error.message))"]
        for conflict in error.conflicts ?? [] {
            if conflict.waiting == true {
                lines.append(
                    "  \(conflict.agent) waits (first) for \(safe(conflict.held)); you asked for \(safe(conflict.requested)); "
                        + "both cover \(safe(conflict.witness))"
                )
            } else {
                lines.append(
                    "  \(conflict.agent) holds \(safe(conflict.held)) (until \(safe(conflict.expiresAt ?? "?"))); you asked for \(safe(conflict.requested)); "
                        + "both cover \(safe(conflict.witness))"
                )
            }
        }
        for violation in error.violations ?? [] {
            switch violation.reason {
            case .outsideOwnLock: lines.append("  \(safe(violation.path)): outside \(error.agent ?? "the agent")'s lock")
            case .heldByOther:
                lines.append("  \(safe(violation.path)): locked by \(violation.agent ?? "?") (\(safe(violation.entry ?? "?")), until \(violation.expiresAt ?? "?"))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Prints `text` on stderr; control characters other than line breaks are escaped.
    package static func printError(_ text: String) {
        let text = ControlCharacters.escaped(text, keepingNewlines: true)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
