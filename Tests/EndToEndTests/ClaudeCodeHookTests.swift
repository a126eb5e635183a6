import Foundation
import Testing

/// `scopelock hook claude-code` fed the exact JSON Claude Code sends (the fixtures), for each tool, event and case.
@Suite(.timeLimit(.minutes(5))) struct ClaudeCodeHookTests {
    static let fixtures = SchemaFiles.testsDirectory.appendingPathComponent("Fixtures/claude-code-hooks").path
    /// The agent name the fixtures' session id gives: `claude-` and its first 12 characters.
    static let sessionAgent = "claude-5f0c2a8e-9d1"

    /// A fixture with its repository (`/home/dev/repo`) moved to the scratch directory, and `changes` applied.
    static func input(_ name: String, in cli: CLI, _ changes: [String: String] = [:]) throws -> String {
        var text = try String(contentsOfFile: fixtures + "/" + name, encoding: .utf8).replacingOccurrences(of: "/home/dev/repo", with: cli.directory)
        for (from, to) in changes { text = text.replacingOccurrences(of: from, with: to) }
        return text
    }

    static func hook(_ cli: CLI, _ fixture: String, _ arguments: [String] = [], environment: [String: String] = [:],
                     _ changes: [String: String] = [:]) async throws -> CLI.Result {
        try await cli.run(["hook", "claude-code"] + arguments, environment: environment, input: try input(fixture, in: cli, changes))
    }

    static func lock(_ cli: CLI, _ agent: String) -> [String: Any]? {
        cli.read("locks/\(agent).lock").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    @Test(arguments: ["pre-edit.json", "pre-write.json", "pre-multiedit.json", "pre-notebook.json"])
    func aFileInsideTheAgentsLockIsAllowed(fixture: String) async throws {
        let cli = try CLI()
        try await cli.run(["acquire", Self.sessionAgent, "backend/", "ui/", "notebooks/"])
        let result = try await Self.hook(cli, fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty && result.stdout.isEmpty)
    }

    @Test(arguments: ["pre-edit.json", "pre-write.json", "pre-multiedit.json", "pre-notebook.json"])
    func aFileUnderAnotherAgentsLockIsDeniedWithWhoAndWhatToDo(fixture: String) async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "integration-dev", "backend/", "ui/src/", "notebooks/*.ipynb", "--ttl", "30m"])
        let before = Self.lock(cli, "integration-dev").map(JSON.text)
        for arguments in [[], ["--claim"]] {
            let result = try await Self.hook(cli, fixture, arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("locked by agent integration-dev"), "\(result.stderr)")
            #expect(result.stderr.contains("until 20"), "no expiry: \(result.stderr)")
            #expect(result.stderr.contains("scopelock acquire \(Self.sessionAgent) "), "no way out: \(result.stderr)")
        }
        #expect(Self.lock(cli, Self.sessionAgent) == nil)
        #expect(Self.lock(cli, "integration-dev").map(JSON.text) == before)
    }

    @Test func aSharedLockOfAnotherAgentIsNoExclusiveHold() async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "reader", "ui/", "--shared"])
        let result = try await Self.hook(cli, "pre-multiedit.json")
        #expect(result.status == 2)
        #expect(result.stderr.contains("outside your lock"), "\(result.stderr)")
    }

    @Test(arguments: ["pre-edit.json", "pre-write.json", "pre-multiedit.json", "pre-notebook.json"])
    func aFreeFileIsDeniedAsOutsideTheLockOrClaimed(fixture: String) async throws {
        let cli = try CLI()
        let denied = try await Self.hook(cli, fixture)
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("outside your lock (agent \(Self.sessionAgent))"), "\(denied.stderr)")
        #expect(denied.stderr.contains("--add"), "\(denied.stderr)")
        #expect(Self.lock(cli, Self.sessionAgent) == nil)

        try await cli.run(["acquire", Self.sessionAgent, "docs/", "--task", "write the docs"])
        let claimed = try await Self.hook(cli, fixture, ["--claim"])
        #expect(claimed.status == 0, "\(claimed.stderr)")
        let lock = try #require(Self.lock(cli, Self.sessionAgent))
        let path = try #require(JSON.object(try Self.input(fixture, in: cli)).flatMap { ($0["tool_input"] as? [String: Any]) }
            .flatMap { ($0["file_path"] ?? $0["notebook_path"]) as? String })
        #expect((lock["files"] as? [String])?.contains(String(path.dropFirst(cli.directory.count + 1))) == true, "\(JSON.text(lock))")
        #expect((lock["directories"] as? [String]) == ["docs/"], "the claim lost the lock's other entries: \(JSON.text(lock))")
        // Now inside: allowed without a claim.
        #expect(try await Self.hook(cli, fixture).status == 0)
    }

    /// The claim lives with the process that ran the hook through `sh -c` (here a Python process standing in
    /// for Claude Code): it is the lock's holder, and once it is killed the claim is dead and the file free.
    @Test func aClaimDiesWithTheKilledAgentProcess() async throws {
        let cli = try CLI()
        try await cli.run(["acquire", Self.sessionAgent, "docs/", "--task", "write the docs", "--ttl", "2h"])
        let token = Self.lock(cli, Self.sessionAgent)?["token"] as? NSNumber
        try cli.write("input.json", try Self.input("pre-edit.json", in: cli))
        let result = try await cli.bash(#"""
            mkfifo ready.fifo
            python3 -c 'import subprocess, sys, time
            done = subprocess.run(["sh", "-c", "\"$SCOPELOCK\" hook claude-code --claim < input.json"])
            print("claimed", done.returncode, flush=True)
            time.sleep(60)' > ready.fifo & agent=$!
            read line < ready.fifo; echo "$line"
            echo "agent $agent"
            cp locks/\#(Self.sessionAgent).lock claimed.json
            kill -KILL $agent; wait $agent 2>/dev/null
            "$SCOPELOCK" acquire other backend/pkg/integrations/qualys/client.go --json
            echo "status $?"
            """#)
        #expect(result.stdout.contains("claimed 0"), "\(result.stdout) \(result.stderr)")
        let agent = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("agent ") }.flatMap { Int($0.dropFirst(6)) })
        let claimed = try #require(cli.read("claimed.json").flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
        #expect((claimed["holder"] as? [String: Any])?["pid"] as? Int == agent, "holder is not the agent process: \(JSON.text(claimed))")
        #expect((claimed["files"] as? [String]) == ["backend/pkg/integrations/qualys/client.go"], "\(JSON.text(claimed))")
        #expect((claimed["directories"] as? [String]) == ["docs/"], "the claim lost the lock's entries: \(JSON.text(claimed))")
        #expect(claimed["token"] as? NSNumber == token, "acquire --add keeps the token: \(JSON.text(claimed))")
        #expect(result.stdout.contains("status 0"), "the dead claim still holds the file: \(result.stdout) \(result.stderr)")
    }

    @Test(arguments: ["pre-bash.json", "pre-read.json"])
    func otherToolsAreAllowedUntouched(fixture: String) async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "someone", "README.md", "src/"])
        let before = cli.tree()
        let result = try await Self.hook(cli, fixture, ["--claim"])
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.isEmpty, "\(result.stderr)")
        #expect(cli.tree() == before)
    }

    @Test func aPathOutsideTheRootIsAllowed() async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "someone", "backend/"])
        let result = try await Self.hook(cli, "pre-edit.json", [], ["\(cli.directory)/backend/pkg/integrations/qualys/client.go": "/etc/hosts"])
        #expect(result.status == 0, "\(result.stderr)")
        let sibling = try await Self.hook(cli, "pre-write.json", [], ["\(cli.directory)/backend": "\(cli.directory)-elsewhere/backend"])
        #expect(sibling.status == 0, "\(sibling.stderr)")
    }

    @Test func theAgentNameComesFromTheOptionTheEnvironmentOrTheSession() async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "named", "backend/"])
        try await cli.run(["acquire", "from-env", "ui/"])
        #expect(try await Self.hook(cli, "pre-edit.json", ["--agent", "named"]).status == 0)
        #expect(try await Self.hook(cli, "pre-multiedit.json", environment: ["SCOPELOCK_AGENT": "from-env"]).status == 0)
        #expect(try await Self.hook(cli, "pre-multiedit.json", ["--agent", "named"], environment: ["SCOPELOCK_AGENT": "from-env"]).status == 2)
        let session = try await Self.hook(cli, "pre-edit.json")
        #expect(session.status == 2 && session.stderr.contains("agent \(Self.sessionAgent)"), "\(session.stderr)")
    }

    @Test func sessionEndReleasesAndStopOnlyWhenAsked() async throws {
        let cli = try CLI()
        try await cli.run(["acquire", Self.sessionAgent, "backend/"])
        let stop = [#""hook_event_name": "SessionEnd""#: #""hook_event_name": "Stop""#]
        #expect(try await Self.hook(cli, "session-end.json", [], stop).status == 0)
        #expect(Self.lock(cli, Self.sessionAgent) != nil, "Stop released without --release-on-stop")
        #expect(try await Self.hook(cli, "session-end.json", ["--release-on-stop"], stop).status == 0)
        #expect(Self.lock(cli, Self.sessionAgent) == nil)

        try await cli.run(["acquire", Self.sessionAgent, "backend/"])
        let end = try await Self.hook(cli, "session-end.json")
        #expect(end.status == 0 && end.stderr.isEmpty, "\(end.stderr)")
        #expect(Self.lock(cli, Self.sessionAgent) == nil)
        // Nothing to release: still fine.
        #expect(try await Self.hook(cli, "session-end.json").status == 0)
    }

    @Test(arguments: ["", "not json", "{\"hook_event_name\": ", "[1, 2]", "{\"tool_name\": \"Edit\"}", "\u{FF}\u{FE}"])
    func badInputIsAWarningNeverABlock(input: String) async throws {
        let cli = try CLI()
        try await cli.run(["acquire", "someone", "backend/"])
        let result = try await cli.run(["hook", "claude-code", "--input-timeout", "1"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("scopelock hook: "), "\(result.stderr)")
        #expect(result.stderr.contains("nothing checked"))
    }

    /// A caller that never closes stdin: the hook answers as soon as one whole JSON value has arrived, and gives
    /// up (allowing, with a warning) when none arrives in time.
    @Test func stdinThatNeverClosesIsNoHang() async throws {
        let cli = try CLI()
        try cli.write("input.json", try Self.input("pre-edit.json", in: cli))
        let answered = try await cli.bash(#"""
            mkfifo in.fifo
            ( cat input.json; sleep 30 ) > in.fifo 2>/dev/null & writer=$!
            timeout 15 "$SCOPELOCK" hook claude-code < in.fifo; echo "status $?"
            kill $writer
            """#)
        #expect(answered.stdout.contains("status 2"), "\(answered.stdout) \(answered.stderr)")
        #expect(answered.stderr.contains("outside your lock"))
        let silent = try await cli.bash(#"""
            mkfifo quiet.fifo
            sleep 30 > quiet.fifo 2>/dev/null & writer=$!
            timeout 15 "$SCOPELOCK" hook claude-code --input-timeout 0.5 < quiet.fifo; echo "status $?"
            kill $writer
            """#)
        #expect(silent.stdout.contains("status 0"), "\(silent.stdout) \(silent.stderr)")
        #expect(silent.stderr.contains("nothing checked"))
    }
}
