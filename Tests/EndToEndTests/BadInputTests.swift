import Foundation
import Testing

/// Bad input always gets a clear error with the right exit code, creates nothing outside `locks/`,
/// and never changes another record.
@Suite struct BadInputTests {
    /// A scratch directory holding one existing record, whose bytes must survive every bad call.
    private func prepared() async throws -> (CLI, Data) {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "keeper", "kept/"]).status == 0)
        return (cli, try #require(cli.read("locks/keeper.lock")))
    }

    private func expectUntouched(_ cli: CLI, _ keeper: Data, _ before: [String]) {
        #expect(cli.read("locks/keeper.lock") == keeper)
        let created = Set(cli.tree()).subtracting(before).filter { !$0.hasPrefix("locks/") && $0 != "locks" }
        #expect(created.isEmpty, "created outside locks/: \(created)")
    }

    @Test(arguments: ["..", "a/b", "-x", "", String(repeating: "n", count: 300), "bad\nname", ".hidden", "a b"])
    func invalidAgentNames(_ name: String) async throws {
        let (cli, keeper) = try await prepared()
        let before = cli.tree()
        let result = try await cli.run(["acquire", "--json", "--", name, "file.txt"])
        #expect(result.status == 2, "\(name.debugDescription): \(result.stdout)")
        #expect(result.errorCode == "invalid_input")
        let message = (result.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("agent name"))
        expectUntouched(cli, keeper, before)
        #expect(cli.tree().filter { $0.hasPrefix("locks/") && $0.hasSuffix(".lock") } == ["locks/keeper.lock"])
    }

    @Test(arguments: [
        ("../outside.txt", "outside"),
        ("/etc/passwd", "outside"),
        ("src/[ab", "["),
        ("src/{a,b", "{"),
        ("[[:alpha:]].go", "alpha"),
    ])
    func invalidEntries(_ entry: String, _ mentioned: String) async throws {
        let (cli, keeper) = try await prepared()
        let before = cli.tree()
        let result = try await cli.run(["acquire", "agent", entry, "--json"])
        #expect(result.status == 2, "\(entry): \(result.stdout)")
        let error = try #require(result.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_input")
        #expect((error["message"] as? String ?? "").contains(mentioned), "\(error)")
        #expect(error["entry"] as? String == entry)
        expectUntouched(cli, keeper, before)
        #expect(cli.read("locks/agent.lock") == nil)
    }

    @Test func badDurationsAndMissingEntries() async throws {
        let (cli, keeper) = try await prepared()
        let before = cli.tree()
        for arguments in [["acquire", "a", "x", "--ttl", "soon"], ["acquire", "a", "x", "--wait", "-1"], ["acquire", "a"], ["frobnicate"]] {
            let result = try await cli.run(arguments + ["--json"])
            #expect(result.status == 2, "\(arguments)")
            #expect(result.errorCode == "invalid_input", "\(arguments): \(result.stdout)")
        }
        expectUntouched(cli, keeper, before)
    }

    /// Records that cannot be read: each is `invalid` in status, refuses acquire with `invalid_lock` (exit 3),
    /// and is neither deleted nor changed.
    @Test(arguments: ["symlink", "directory", "huge", "garbage", "wrong-types", "missing-field", "hardlink", "fifo"])
    func unreadableRecordsFailClosed(_ kind: String) async throws {
        let (cli, keeper) = try await prepared()
        let bad = cli.directory + "/locks/bad.lock"
        switch kind {
        case "symlink":
            try cli.write("target.json", #"{"agent":"bad","locked_at":"2030-01-01T00:00:00Z","files":["a"],"expires_at":"2030-01-01T00:00:00Z"}"#)
            try FileManager.default.createSymbolicLink(atPath: bad, withDestinationPath: cli.directory + "/target.json")
        case "directory":
            try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: false)
        case "huge":
            try cli.write("locks/bad.lock", "{\"agent\":\"bad\",\"files\":[\"" + String(repeating: "x", count: 1 << 21) + "\"]}")
        case "garbage":
            try cli.write("locks/bad.lock", "this is not json {")
        case "wrong-types":
            try cli.write("locks/bad.lock", #"{"agent":"bad","locked_at":"2030-01-01T00:00:00Z","files":"a.txt","expires_at":"2030-01-01T00:00:00Z"}"#)
        case "missing-field":
            try cli.write("locks/bad.lock", #"{"agent":"bad","files":["a.txt"],"expires_at":"2030-01-01T00:00:00Z"}"#)
        case "hardlink":
            try cli.write("elsewhere.json", #"{"agent":"bad","locked_at":"2030-01-01T00:00:00Z","files":["a"],"expires_at":"2030-01-01T00:00:00Z"}"#)
            try FileManager.default.linkItem(atPath: cli.directory + "/elsewhere.json", toPath: bad)
        default:
            #expect(mkfifo(bad, 0o644) == 0)
        }
        let before = cli.tree()

        let status = try await cli.run(["status", "--json"])
        #expect(status.status == 0)
        let states = (status.json["locks"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
            $0[$1["agent"] as? String ?? ""] = $1["state"] as? String
        }
        #expect(states["bad"] == "invalid", "\(kind): \(status.stdout)")

        let refused = try await cli.run(["acquire", "other", "unrelated.txt", "--json"])
        #expect(refused.status == 3, "\(kind): \(refused.stdout)")
        let error = try #require(refused.json["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_lock")
        #expect((error["file"] as? String ?? "").hasSuffix("locks/bad.lock"))

        #expect(try await cli.run(["prune"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: bad) || (try? FileManager.default.destinationOfSymbolicLink(atPath: bad)) != nil)
        #expect(try await cli.run(["clear"]).status == 3)
        expectUntouched(cli, keeper, before)

        // A person can still remove it on purpose.
        let forced = try await cli.run(["release", "bad", "--force", "--json"])
        #expect(forced.status == 0, "\(kind): \(forced.stdout)")
        #expect(try await cli.run(["acquire", "other", "unrelated.txt"]).status == 0)
    }

    @Test func symlinkedLocksDirectoryIsUnsafe() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.directory + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cli.directory + "/locks", withDestinationPath: cli.directory + "/real")
        let result = try await cli.run(["acquire", "a", "x.txt", "--json"])
        #expect(result.status == 3 && result.errorCode == "unsafe_directory")
        #expect((try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/real")).isEmpty)
    }
}
