import Foundation
import Testing

/// `serve` as JSON-RPC 2.0 asks: every id comes back exactly as the request wrote it, and a batch is answered
/// with an array.
@Suite struct ServeBatchTests {
    /// The raw answer lines of `scopelock serve` for `lines`.
    static func serve(_ lines: [String], in cli: CLI) async throws -> [String] {
        let result = try await cli.run(["serve"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test(arguments: [
        "123456789012345678901234567890",
        "-18446744073709551617",
        "9007199254740993",
        "1.50",
        "1e3",
        "0",
        #""\u0041b""#,
        #""id with spaces""#,
        "null",
    ])
    func idsAreEchoedAsWritten(id: String) async throws {
        let cli = try CLI()
        let answers = try await Self.serve([
            #"{"jsonrpc":"2.0","id":\#(id),"method":"overlap","params":{"left":"a/","right":"a/b"}}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"nope"}"#,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"overlap","params":{"left":"a/"}}"#,
        ], in: cli)
        #expect(answers.count == 3)
        #expect(answers[0].hasPrefix(#"{"id":\#(id),"jsonrpc":"2.0","result":{"#), "\(answers[0])")
        #expect(answers[1].hasPrefix(#"{"error":{"code":-32601"#) && answers[1].contains(#","id":\#(id),"jsonrpc":"2.0"}"#), "\(answers[1])")
        #expect(answers[2].contains(#""code":-32602"#) && answers[2].contains(#","id":\#(id),"#), "\(answers[2])")
    }

    @Test func idsThatAreNotStringsNumbersOrNullAreInvalid() async throws {
        let cli = try CLI()
        let answers = try await Self.serve([
            #"{"jsonrpc":"2.0","id":true,"method":"describe"}"#,
            #"{"jsonrpc":"2.0","id":{"a":1},"method":"describe"}"#,
        ], in: cli)
        #expect(answers.count == 2)
        for answer in answers {
            let object = try #require(JSON.object(answer))
            #expect((object["error"] as? [String: Any])?["code"] as? Int == -32600, "\(answer)")
            #expect(object["id"] is NSNull, "\(answer)")
        }
    }

    @Test func batchesAreAnsweredWithArrays() async throws {
        let cli = try CLI()
        let answers = try await Self.serve([
            // Requests, a notification (no answer), a bad element, a method error, in one batch.
            #"[{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"a","entries":["x.txt"]}},"#
                + #"{"jsonrpc":"2.0","method":"acquire","params":{"agent":"b","entries":["y.txt"]}},"#
                + #"1,{"jsonrpc":"2.0","id":"two","method":"status"},{"jsonrpc":"2.0","id":3,"method":"nope"}]"#,
            // Notifications only: nothing at all.
            #"[{"jsonrpc":"2.0","method":"status"}]"#,
            // An empty batch: one invalid request, not an array.
            "[]",
            // Not JSON: one parse error.
            #"[{"jsonrpc":"2.0","id":1,"method":"status"}"#,
            #"{"jsonrpc":"2.0","id":"last","method":"describe"}"#,
        ], in: cli)
        #expect(answers.count == 4, "\(answers)")
        let batch = try #require(try JSONSerialization.jsonObject(with: Data(answers[0].utf8)) as? [[String: Any]], "\(answers[0])")
        #expect(batch.count == 4)
        #expect(batch[0]["id"] as? Int == 1 && (batch[0]["result"] as? [String: Any])?["ok"] as? Bool == true)
        #expect(batch[1]["id"] is NSNull && (batch[1]["error"] as? [String: Any])?["code"] as? Int == -32600)
        let status = try #require(batch[2]["result"] as? [String: Any])
        #expect(batch[2]["id"] as? String == "two")
        // The batch's requests ran in order: the notification's lock is there for the status after it.
        #expect(((status["locks"] as? [[String: Any]]) ?? []).compactMap { $0["agent"] as? String } == ["a", "b"])
        #expect(batch[3]["id"] as? Int == 3 && (batch[3]["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect(answers[1] == #"{"error":{"code":-32600,"message":"invalid request: an empty batch"},"id":null,"jsonrpc":"2.0"}"#)
        #expect((JSON.object(answers[2])?["error"] as? [String: Any])?["code"] as? Int == -32700)
        #expect(JSON.object(answers[3])?["id"] as? String == "last")
        let schema = try await SchemaFiles.validate(answers.filter { !$0.hasPrefix("[") }, against: "rpc.schema.json", in: cli)
        #expect(schema.status == 0, "\(schema.stdout)\(schema.stderr)")
        let batchSchema = try await SchemaFiles.validate([answers[0]], against: "rpc.schema.json", in: cli)
        #expect(batchSchema.status == 0, "\(batchSchema.stdout)\(batchSchema.stderr)")
    }

    /// Durations may be numbers of seconds, where a client sends them so.
    @Test func durationsMayBeNumbers() async throws {
        let cli = try CLI()
        let answers = try await Self.serve([
            #"{"jsonrpc":"2.0","id":1,"method":"acquire","params":{"agent":"a","entries":["x.txt"],"ttl":90}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"acquire","params":{"agent":"b","entries":["y.txt"],"ttl":1.5}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"acquire","params":{"agent":"c","entries":["z.txt"],"ttl":true}}"#,
        ], in: cli)
        let lock = try #require((JSON.object(answers[0])?["result"] as? [String: Any])?["lock"] as? [String: Any], "\(answers[0])")
        let formatter = ISO8601DateFormatter()
        let locked = try #require(formatter.date(from: lock["locked_at"] as? String ?? ""))
        let expires = try #require(formatter.date(from: lock["expires_at"] as? String ?? ""))
        // locked_at is rounded down and expires_at up, to whole seconds: the lease lasts at least its ttl.
        #expect((90...91).contains(expires.timeIntervalSince(locked)))
        for answer in answers.dropFirst() {
            let error = try #require(JSON.object(answer)?["error"] as? [String: Any], "\(answer)")
            #expect(error["code"] as? Int == -32602 && (error["data"] as? [String: Any])?["field"] as? String == "ttl", "\(answer)")
        }
    }
}
