import Foundation
import Testing

/// `scopelock mcp` with real clients: the official MCP Python SDK (in the venv `.ci/run` makes), and raw
/// JSON-RPC lines for what a client library hides (an answer that must never come).
@Suite(.timeLimit(.minutes(10))) struct MCPClientTests {
    /// The repository's top folder.
    static let repository = SchemaFiles.testsDirectory.deletingLastPathComponent().deletingLastPathComponent().path
    /// The Python with the `mcp` package: `SCOPELOCK_MCP_PYTHON`, else the venv `.ci/run` makes.
    static let python = ProcessInfo.processInfo.environment["SCOPELOCK_MCP_PYTHON"] ?? repository + "/.build-venv/bin/python"
    static let client = SchemaFiles.testsDirectory.appendingPathComponent("Support/mcp_client.py").path

    /// initialize, tools/list (annotations, self-contained output schemas), calls validated against their output
    /// schema, the status resource and its subscription, a cancelled acquire, and many calls in a row — all
    /// through the official Python SDK's client.
    @Test func theOfficialPythonClientWorksEveryFeature() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python),
                     "no \(Self.python): run .ci/run (it makes the venv with the mcp package) or set SCOPELOCK_MCP_PYTHON")
        let cli = try CLI()
        try cli.write("src/app/main.go", "package main\n")
        let result = try await cli.bash(
            "SCOPELOCK_EXTERNAL_UPDATES=\(ExternalUpdates.supported ? 1 : 0) "
                + "\(SchemaFiles.quoted(Self.python)) \(SchemaFiles.quoted(Self.client)) \"$SCOPELOCK\" \(SchemaFiles.quoted(cli.directory)) session"
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(4000))")
        #expect(result.stdout.contains(#"{"ok": true}"#))
    }

    /// The output schemas the server carries are the ones generated from `schemas/` as they are now.
    @Test func outputSchemasAreUpToDate() async throws {
        let cli = try CLI()
        let result = try await cli.bash("python3 \(SchemaFiles.quoted(Self.repository + "/scripts/mcp-output-schemas")) --check")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// A cancelled waiting acquire is never answered and leaves the line at once: no waiter, no lock, nothing held back.
    @Test func aCancelledAcquireIsNotAnsweredAndLeavesNoLock() async throws {
        let cli = try CLI()
        let end = try await cli.session(["mcp"]) { session in
            _ = try await session.exchange(MCPTests.request(1, "initialize", [
                "protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"],
            ]))
            try await session.send(JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]))
            let held = try MCPTests.toolResult(try await session.exchange(MCPTests.callTool(2, "acquire", ["agent": "holder", "entries": ["src/"]])))
            #expect(held.isError == false)
            try await session.send(MCPTests.callTool(3, "acquire", ["agent": "waiter", "entries": ["src/a.go"], "wait": 20]))
            try await session.send(JSON.text(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 3, "reason": "test"]]))
            // The cancelled waiter leaves the line at once, long before its 20 s wait would end.
            let deadline = Date().addingTimeInterval(5)
            while cli.read("locks/waiter.wait") != nil, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(cli.read("locks/waiter.wait") == nil, "a cancelled acquire stayed in line")
            try await cli.run(["release", "holder"])
            // Nothing of it holds back an overlapping acquire, and it never takes the scope.
            let taken = try await cli.run(["acquire", "other", "src/a.go", "--json"])
            #expect(taken.status == 0, "a cancelled waiter held back an overlapping acquire: \(taken.stdout)")
            #expect(cli.read("locks/waiter.lock") == nil, "a cancelled acquire left a lock")
            let pong = try await session.exchange(JSON.text(["jsonrpc": "2.0", "id": 4, "method": "ping"]))
            #expect(pong["id"] as? Int == 4, "answered after its cancellation: \(JSON.text(pong))")
            return true
        }
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.trailingLines.isEmpty, "stdout after the last answer: \(end.trailingLines)")
    }

    /// An acquire cancelled right after it is sent: whichever comes first, the server either answers it (the
    /// grant came before the cancellation) and the lock stays, or never answers it and leaves no lock.
    @Test func aCancellationRacingItsAcquireLeavesAnsweredLocksOnly() async throws {
        let cli = try CLI()
        var lines = [
            MCPTests.request(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"]]),
            JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]),
        ]
        let rounds = 0..<30
        for round in rounds {
            lines.append(MCPTests.callTool(100 + round, "acquire", ["agent": "racer\(round)", "entries": ["f\(round).txt"]]))
            if round % 3 == 1 { lines.append(JSON.text(["jsonrpc": "2.0", "id": 500 + round, "method": "ping"])) }
            lines.append(JSON.text(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 100 + round]]))
        }
        let result = try await cli.run(["mcp"], input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let answered = Set(result.stdout.split(separator: "\n").compactMap { JSON.object(String($0))?["id"] as? Int })
        for round in rounds {
            let lock = cli.read("locks/racer\(round).lock") != nil
            #expect(lock == answered.contains(100 + round), "round \(round): answered \(answered.contains(100 + round)), lock \(lock)")
        }
    }

    /// The default agent: `--agent` (or `SCOPELOCK_AGENT`) fills in `agent`, which is then optional.
    @Test(arguments: [(["mcp", "--agent", "dev"], [String: String]()), (["mcp"], ["SCOPELOCK_AGENT": "dev"])])
    func theDefaultAgentFillsIn(arguments: [String], environment: [String: String]) async throws {
        let cli = try CLI()
        let end = try await cli.session(arguments, environment: environment) { session in
            _ = try await session.exchange(MCPTests.request(1, "initialize", [
                "protocolVersion": "2025-06-18", "capabilities": [String: Any](), "clientInfo": ["name": "e2e", "version": "1"],
            ]))
            try await session.send(JSON.text(["jsonrpc": "2.0", "method": "notifications/initialized"]))
            let listed = try await session.exchange(MCPTests.request(2, "tools/list", [:]))
            let tools = try #require((listed["result"] as? [String: Any])?["tools"] as? [[String: Any]])
            for tool in tools {
                let required = (tool["inputSchema"] as? [String: Any])?["required"] as? [String] ?? []
                #expect(!required.contains("agent"), "\(tool["name"] ?? "?") still requires agent")
                #expect(tool["annotations"] is [String: Any] && tool["outputSchema"] is [String: Any], "\(tool["name"] ?? "?")")
            }
            let granted = try MCPTests.toolResult(try await session.exchange(MCPTests.callTool(3, "acquire", ["entries": ["x.txt"], "ttl": 120])))
            #expect((granted.structured["lock"] as? [String: Any])?["agent"] as? String == "dev")
            let other = try MCPTests.toolResult(try await session.exchange(MCPTests.callTool(4, "acquire", ["agent": "tester", "entries": ["y.txt"]])))
            #expect((other.structured["lock"] as? [String: Any])?["agent"] as? String == "tester")
            // status keeps its optional agent: every lock.
            let status = try MCPTests.toolResult(try await session.exchange(MCPTests.callTool(5, "status", [:])))
            #expect((status.structured["locks"] as? [Any])?.count == 2)
            return true
        }
        #expect(end.status == 0, "\(end.stderr)")
    }
}

/// Whether the server hears of changes other processes make (the store's change feed).
enum ExternalUpdates {
    static let supported = true
}
