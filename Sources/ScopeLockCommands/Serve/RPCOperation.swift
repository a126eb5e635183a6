import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// One method of `serve` and tool of `mcp`: its params, and how a call runs — decode the params into the
/// operation's request value, call the workspace operation, encode the outcome exactly as `--json` prints it.
package struct RPCOperation: Sendable {
    package let name: String
    package let summary: String
    /// The method's own params; the workspace params (`output_dir`, `root`, `plugin_dir`) come on top.
    let fields: [RPCField]
    /// False for `describe`, which acts on no workspace.
    let takesWorkspace: Bool
    let perform: @Sendable (RPCParams, Workspace) async throws(RPCError) -> RPCAnswer

    /// Every param the method accepts.
    package var allFields: [RPCField] { fields + (takesWorkspace ? RPCField.workspace : []) }

    /// An operation whose params decode into `Request` and whose work is `work`.
    static func make<Request: Decodable & Sendable, Value: Encodable & Sendable>(
        _ name: String, _ summary: String, _ fields: [RPCField], takesWorkspace: Bool = true,
        _ work: @escaping @Sendable (Workspace, Request) async -> Outcome<Value>
    ) -> RPCOperation {
        RPCOperation(name: name, summary: summary, fields: fields, takesWorkspace: takesWorkspace) { params, workspace throws(RPCError) in
            let request = try params.decode(Request.self, fields: fields)
            let outcome = await work(workspace, request)
            return RPCAnswer(json: Output.jsonLine(outcome), ok: outcome.ok)
        }
    }
}

/// A call's answer: the result object as one compact line of JSON (what `--json` prints), and its `ok`.
package struct RPCAnswer: Sendable {
    package let json: String
    package let ok: Bool

    package init(json: String, ok: Bool) {
        self.json = json
        self.ok = ok
    }
}

/// The params of one call: the JSON message whose `params` member holds them, and their names.
package struct RPCParams: Sendable {
    let message: Data
    let names: [String]

    package init(message: Data, names: [String]) {
        self.message = message
        self.names = names
    }

    /// These params with any duration given as a number of seconds (`"ttl": 90`) turned into its text (`"90"`),
    /// the form the operations read.
    func durationsAsText(_ fields: [RPCField]) -> RPCParams {
        let durations = Set(fields.filter { $0.kind == .duration }.map(\.name))
        guard names.contains(where: durations.contains),
              case .object(var members)? = try? JSONParser.parse([UInt8](message)),
              case .object(var params)? = members["params"]
        else { return self }
        var changed = false
        for name in durations {
            if case .number(let number)? = params[name], let seconds = CheckedNumber.integer(number, in: 0...CheckedNumber.largestExactInteger) {
                params[name] = .string(String(seconds))
                changed = true
            }
        }
        guard changed else { return self }
        members["params"] = .object(params)
        guard let encoded = try? JSONCoding.encoder().encode(JSONValue.object(members)) else { return self }
        return RPCParams(message: encoded, names: names)
    }

    /// Decodes the params into `type`; a missing, mistyped or null required field is an invalid-params error naming it.
    func decode<T: Decodable>(_ type: T.Type, fields: [RPCField]) throws(RPCError) -> T {
        do {
            if names.isEmpty { return try JSONDecoder().decode(T.self, from: Data("{}".utf8)) }
            return try JSONDecoder().decode(Envelope<T>.self, from: message).params
        } catch let error as DecodingError {
            throw .invalidParams(Self.problem(error, fields: fields))
        } catch {
            throw .internalError("cannot decode the params: \(error)")
        }
    }

    private struct Envelope<T: Decodable>: Decodable {
        let params: T
    }

    /// The field a decoding error is about (`entries[2]` for an element), and what is wrong with it.
    private static func problem(_ error: DecodingError, fields: [RPCField]) -> FieldProblem {
        func name(_ path: [any CodingKey]) -> String {
            var keys = path[...]
            if keys.first?.stringValue == "params", keys.first?.intValue == nil { keys = keys.dropFirst() }
            return keys.reduce("") { text, key in
                key.intValue.map { text + "[\($0)]" } ?? (text.isEmpty ? key.stringValue : text + "." + key.stringValue)
            }
        }
        func expected(_ field: String) -> String? {
            let top = String(field.prefix { $0 != "[" && $0 != "." })
            guard let kind = fields.first(where: { $0.name == top })?.kind ?? RPCField.workspace.first(where: { $0.name == top })?.kind else {
                return nil
            }
            return field == top ? kind.expected : "a string"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = name(context.codingPath + [key])
            return FieldProblem(field: field, problem: .missing, expected: expected(field))
        case .valueNotFound(_, let context):
            let field = name(context.codingPath)
            return FieldProblem(field: field, problem: .missing, expected: expected(field))
        case .typeMismatch(_, let context), .dataCorrupted(let context):
            let field = name(context.codingPath)
            return FieldProblem(field: field.isEmpty ? "params" : field, problem: .wrongType, expected: expected(field) ?? "an object")
        @unknown default:
            return FieldProblem(field: "params", problem: .wrongType)
        }
    }
}
