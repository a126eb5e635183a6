import Foundation
import Testing

/// `scopelock mcp` through the built binary, spoken to as an MCP client would over stdio, in raw JSON-RPC lines.
@Suite(.timeLimit(.minutes(20))) struct MCPTests {
    static func request(_ id: Int, _ method: String, _ params: [String: Any]) -> String {
        JSON.text(["jsonrpc": "2.0", "id": id, "method": method, "params": params])
    }

    static func callTool(_ id: Int, _ name: String, _ arguments: [String: Any]) -> String {
        request(id, "tools/call", ["name": name, "arguments": arguments])
    }

    @Test func clientSessionAcquiresMeetsAConflictAndReleases() async throws {
        let cli = try CLI()
        let schema = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: SchemaFiles.directory + "/rpc.schema.json")))
                as? [String: Any]
        )
        let definitions = try #require(schema["$defs"] as? [String: Any])

        let end = try await cli.session(["mcp"]) { session in
            let initialized = try await session.exchange(Self.request(1, "initialize", [
                "protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"],
            ]))
            let server = try #require(initialized["result"] as? [String: Any], "\(JSON.text(initialized))")
            #expect((server["serverInfo"] as? [String: Any])?["name"] as? String == "scopelock")
            #expect((server["capabilities"] as? [String: Any])?["tools"] != nil)
            try await session.send(JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]))

            // Every operation is a tool, with the params of `serve` as its input schema.
            let listed = try await session.exchange(Self.request(2, "tools/list", [:]))
            #expect(listed["id"] as? Int == 2, "a notification was answered: \(JSON.text(listed))")
            let tools = try #require((listed["result"] as? [String: Any])?["tools"] as? [[String: Any]])
            #expect(tools.compactMap { $0["name"] as? String } == ["acquire", "release", "renew", "status", "check", "owner", "overlap",
                                                                  "prune", "clear", "plan", "apply", "plugins", "guard", "where", "describe"])
            for tool in tools {
                let name = tool["name"] as? String ?? "?"
                let input = try #require(tool["inputSchema"] as? [String: Any], "\(name) has no inputSchema")
                let params = try #require(definitions["params_\(name)"] as? [String: Any], "rpc.schema.json lacks params_\(name)")
                #expect(input["type"] as? String == "object" && input["additionalProperties"] as? Bool == false)
                #expect(Set((input["properties"] as? [String: Any] ?? [:]).keys) == Set((params["properties"] as? [String: Any] ?? [:]).keys),
                        "\(name): tool arguments and serve params differ")
                #expect(Set(input["required"] as? [String] ?? []) == Set(params["required"] as? [String] ?? []), "\(name): required differ")
                #expect((tool["description"] as? String)?.isEmpty == false)
            }

            // A grant.
            let granted = try Self.toolResult(try await session.exchange(Self.callTool(3, "acquire", ["agent": "dev", "entries": ["src/app/"]])))
            #expect(granted.isError == false)
            #expect(granted.structured["ok"] as? Bool == true)
            #expect((granted.structured["lock"] as? [String: Any])?["token"] as? Int == 1)
            #expect(cli.read("locks/dev.lock") != nil)

            // An overlapping scope for another agent: a tool error carrying the conflict.
            let refused = try Self.toolResult(try await session.exchange(
                Self.callTool(4, "acquire", ["agent": "tester", "entries": ["src/app/main_test.go"]])
            ))
            #expect(refused.isError == true)
            #expect(refused.structured["ok"] as? Bool == false)
            let error = try #require(refused.structured["error"] as? [String: Any])
            #expect(error["code"] as? String == "conflict")
            let conflict = try #require((error["conflicts"] as? [[String: Any]])?.first)
            #expect(conflict["agent"] as? String == "dev" && conflict["held"] as? String == "src/app/")
            #expect(conflict["requested"] as? String == "src/app/main_test.go" && conflict["witness"] as? String == "src/app/main_test.go")
            #expect(cli.read("locks/tester.lock") == nil)

            // The same refusal the command line prints.
            let printed = try await cli.run(["acquire", "tester", "src/app/main_test.go", "--json"])
            #expect(JSON.text(JSON.normalized(refused.structured, directories: [])) == JSON.text(JSON.normalized(printed.json, directories: [])))

            // Bad arguments are a tool error (the invalid_input a usage error prints); an unknown tool a protocol error.
            let missing = try Self.toolResult(try await session.exchange(Self.callTool(5, "acquire", ["entries": ["x.txt"]])))
            #expect(missing.isError == true)
            #expect((missing.structured["error"] as? [String: Any])?["code"] as? String == "invalid_input")
            let unknown = try await session.exchange(Self.callTool(6, "frobnicate", [:]))
            #expect((unknown["error"] as? [String: Any])?["code"] as? Int == -32602)

            // Release.
            let released = try Self.toolResult(try await session.exchange(Self.callTool(7, "release", ["agent": "dev", "token": 1])))
            #expect(released.isError == false)
            #expect((released.structured["released"] as? [String: Any])?["agent"] as? String == "dev")
            #expect(cli.read("locks/dev.lock") == nil)

            let status = try Self.toolResult(try await session.exchange(Self.callTool(8, "status", [:])))
            #expect(status.isError == false && (status.structured["locks"] as? [Any])?.isEmpty == true)
            return true
        }
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.trailingLines.isEmpty, "stdout after the last answer: \(end.trailingLines)")
    }

    /// Requests piped in at once, with stdin closed right after them, are all answered before the server exits.
    @Test func everyPipedRequestIsAnsweredBeforeExit() async throws {
        let cli = try CLI()
        var lines = [
            Self.request(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"]]),
            JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]),
        ]
        lines += (2...11).map { Self.callTool($0, "acquire", ["agent": "agent\($0)", "entries": ["file\($0).txt"]]) }
        let result = try await cli.run(["mcp"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let ids = Set(result.stdout.split(separator: "\n").compactMap { JSON.object(String($0))?["id"] as? Int })
        #expect(ids == Set(1...11), "\(result.stdout)")
    }

    /// `scopelock mcp` runs the `scopelock-mcp` executable beside it; without one it says so and exits 3.
    @Test func aMissingServerIsAClearError() async throws {
        let cli = try CLI()
        let result = try await cli.bash(#"mkdir alone && cp "$SCOPELOCK" alone/scopelock && alone/scopelock mcp -o out"#)
        #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("alone/scopelock-mcp is missing or not executable"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// A tool call's result: `isError`, and `structuredContent`, checked equal to the JSON text in `content`.
    static func toolResult(_ answer: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> (isError: Bool?, structured: [String: Any]) {
        let result = try #require(answer["result"] as? [String: Any], "\(JSON.text(answer))", sourceLocation: sourceLocation)
        let structured = try #require(result["structuredContent"] as? [String: Any], "\(JSON.text(answer))", sourceLocation: sourceLocation)
        let text = try #require((result["content"] as? [[String: Any]])?.first?["text"] as? String, sourceLocation: sourceLocation)
        #expect(JSON.object(text).map(JSON.text) == JSON.text(structured), "content and structuredContent differ", sourceLocation: sourceLocation)
        return (result["isError"] as? Bool, structured)
    }
}
