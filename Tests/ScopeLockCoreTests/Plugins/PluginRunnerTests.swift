#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Testing

@Suite(.serialized) struct PluginRunnerTests {
    /// A short deadline keeps the misbehaving cases fast.
    static let deadline: Duration = .seconds(3)
    let runner = PluginRunner(timeout: PluginRunnerTests.deadline)

    // MARK: - Well-behaved

    @Test func aWellBehavedPluginDescribesItself() async throws {
        let scratch = try PluginScratch()
        let client = StrategyClient(argv: [try PluginFixture.good.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let description = try await client.describe()
        var expected = StrategyDescription(name: "fixture", version: "1.0", description: "a test plugin")
        expected.protocol = StrategyProtocol.version1  // a plugin of the first version is still understood
        #expect(description == expected)
        // describe is always asked in the first version, which every plugin reads.
        let sent = try JSONSerialization.jsonObject(with: Data(contentsOf: scratch.url("input"))) as? [String: String]
        #expect(sent == ["protocol": StrategyProtocol.version1])
        await scratch.expectNoProcessLeft()
    }

    @Test func aWellBehavedPluginResolvesTheRequestItWasSent() async throws {
        let scratch = try PluginScratch()
        let client = StrategyClient(argv: [try PluginFixture.good.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let request = Self.request(workflow: "w")
        let answer = try await client.resolve(request)
        #expect(answer.status == .resolved)
        #expect(answer.agents == [ResolvedAgent(name: "a", files: ["x.swift"], directories: [])])
        #expect(answer.waves == [["a"]])
        let sent = try Data(contentsOf: scratch.url("input"))
        #expect(try JSONDecoder().decode(ResolveRequest.self, from: sent) == request)
        await scratch.expectNoProcessLeft()
    }

    @Test func aDeclinedAnswerIsReturnedAsItIs() async throws {
        let scratch = try PluginScratch()
        let client = StrategyClient(argv: [try PluginFixture.good.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let answer = try await client.resolve(Self.request(workflow: "decline"))
        var expected = ResolveAnswer.declined(code: "no_plan", message: "nothing to do")
        expected.protocol = StrategyProtocol.version1
        #expect(answer == expected)
    }

    @Test func fixedArgumentsComeBeforeTheVerb() async throws {
        let scratch = try PluginScratch()
        let script = try PluginFixture.good.install(in: scratch.path)
        let client = StrategyClient(argv: ["/bin/sh", script], runner: runner, workingDirectory: scratch.path)
        #expect(try await client.describe().name == "fixture")
    }

    // MARK: - Misbehaving

    @Test(arguments: [
        (PluginFixture.hang, "timed out after 3s; killed its process group"),
        (.late, "timed out after 3s; killed its process group"),
        (.flood, "printed more than 1 MiB on stdout; killed its process group"),
        (.garbage, #"answered something that is not JSON: "Hello! This is not JSON.\n""#),
        (.fails, "exited with status 1: …"),
        (.otherProtocol, #"answered in protocol "scopelock.strategy/9", but scopelock speaks "scopelock.strategy/1" or "scopelock.strategy/2" here"#),
        (.grandchild, "exited but left a process running in its process group"),
    ])
    func aMisbehavingPluginIsAPluginErrorWithinTheDeadline(_ fixture: PluginFixture, _ expected: String) async throws {
        let scratch = try PluginScratch()
        let client = StrategyClient(argv: [try fixture.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let start = ContinuousClock.now
        let error = await #expect(throws: ErrorInfo.self) { try await client.describe() }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .pluginError)
        #expect(error?.message.hasPrefix("plugin \(fixture.fileName) ") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(elapsed < Self.deadline + .seconds(2), "took \(elapsed)")
        await scratch.expectNoProcessLeft()
    }

    @Test func aFailureKeepsOnlyTheTailOfStderr() async throws {
        let scratch = try PluginScratch()
        let path = try PluginFixture.fails.install(in: scratch.path)
        let error = await #expect(throws: ErrorInfo.self) {
            try await runner.run([path], verb: "resolve", input: Data("{}".utf8), workingDirectory: scratch.path)
        }
        let message = try #require(error?.message)
        #expect(message.hasSuffix("xxx\ncannot resolve: no luck"))
        #expect(message.utf8.count < 4096 + 200)
        #expect(error?.file == path)
    }

    @Test func aPluginThatIgnoresItsInputDoesNotHurtTheHost() async throws {
        let scratch = try PluginScratch()
        let path = try PluginFixture.ignoresInput.install(in: scratch.path)
        // Far more than a pipe holds: writing it runs into a closed pipe or a plugin that is gone.
        let input = Data(repeating: UInt8(ascii: " "), count: 4 << 20)
        let output = try await runner.run([path], verb: "describe", input: input, workingDirectory: scratch.path)
        #expect(try JSONDecoder().decode(StrategyDescription.self, from: output).name == "fixture")

        try Data().write(to: scratch.url("FAIL"))
        let error = await #expect(throws: ErrorInfo.self) {
            try await runner.run([path], verb: "describe", input: input, workingDirectory: scratch.path)
        }
        #expect(error?.message.contains("exited with status 5 (it also did not take all of its input") == true, "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix(": gave up before reading") == true, "\(error?.message ?? "")")
        await scratch.expectNoProcessLeft()
    }

    @Test func cancellingTheCallerKillsThePluginsGroup() async throws {
        let scratch = try PluginScratch()
        let path = try PluginFixture.hang.install(in: scratch.path)
        let patient = PluginRunner(timeout: .seconds(30))
        let start = ContinuousClock.now
        let task = Task { try await patient.run([path], verb: "describe", input: Data(), workingDirectory: scratch.path) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(ContinuousClock.now - start < .seconds(3))
        #expect(throws: ErrorInfo.self) { try result.get() }
        await scratch.expectNoProcessLeft()
    }

    @Test func aMissingExecutableIsAPluginError() async throws {
        let error = await #expect(throws: ErrorInfo.self) {
            try await runner.run(["/nonexistent/scopelock-strategy-nope"], verb: "describe", input: Data(), workingDirectory: nil)
        }
        #expect(error?.code == .pluginError)
        #expect(error?.message.hasPrefix("plugin scopelock-strategy-nope could not be started") == true, "\(error?.message ?? "")")
    }

    @Test func anEmptyCommandIsAPluginError() async throws {
        let error = await #expect(throws: ErrorInfo.self) {
            try await runner.run([], verb: "describe", input: Data(), workingDirectory: nil)
        }
        #expect(error?.code == .pluginError)
    }

    // MARK: - Answers

    @Test(arguments: [
        ("", "answered nothing to resolve on stdout"),
        ("  \n", "answered nothing to resolve on stdout"),
        (#"{"protocol":"scopelock.strategy/1","status":"declined","error":{"code":"c","message":"m"}} {}"#, "answered something that is not JSON"),
        (#"[{"protocol":"scopelock.strategy/1"}]"#, "answered JSON that is not one object"),
        (#"{"status":"resolved"}"#, #"answered without a "protocol" string"#),
        (#"{"protocol":2}"#, #"answered without a "protocol" string"#),
        (#"{"protocol":"other/9","status":"resolved"}"#, #"answered in protocol "other/9""#),
        (#"{"protocol":"scopelock.strategy/1","status":"resolved","agents":"oops","waves":[],"actions":[]}"#,
         "answered a malformed resolve answer: field agents is not an array"),
        (#"{"protocol":"scopelock.strategy/1","status":"resolved","agents":[{"name":"a","files":[1],"directories":[]}]}"#,
         "answered a malformed resolve answer: field agents[0].files[0] is not a string"),
        (#"{"protocol":"scopelock.strategy/1","status":"maybe"}"#, "answered a malformed resolve answer: field status:"),
        (#"{"protocol":"scopelock.strategy/1"}"#, "answered a malformed resolve answer: field status is missing"),
    ])
    func aMalformedAnswerIsAPluginErrorNamingWhatIsWrong(_ answer: String, _ expected: String) async throws {
        let scratch = try PluginScratch()
        try Data(answer.utf8).write(to: scratch.url("answer"))
        let client = StrategyClient(argv: [try PluginFixture.replay.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let error = await #expect(throws: ErrorInfo.self) { try await client.resolve(Self.request(workflow: "w")) }
        #expect(error?.code == .pluginError)
        #expect(error?.message.hasPrefix("plugin scopelock-strategy-replay ") == true)
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func garbageIsQuotedToTwoHundredBytes() async throws {
        let scratch = try PluginScratch()
        try Data(("\u{1}" + String(repeating: "z", count: 1000)).utf8).write(to: scratch.url("answer"))
        let client = StrategyClient(argv: [try PluginFixture.replay.install(in: scratch.path)], runner: runner, workingDirectory: scratch.path)
        let error = await #expect(throws: ErrorInfo.self) { try await client.describe() }
        let message = try #require(error?.message)
        #expect(message.hasSuffix(": \"\\u{1}" + String(repeating: "z", count: 199) + "\"…"), "\(message)")
    }

    // MARK: - Helpers

    static func request(workflow: String) -> ResolveRequest {
        ResolveRequest(
            workflow: workflow, options: ["depth": .number(2)],
            agents: [
                AgentScope(name: "a", files: ["x.swift"], directories: [], task: "t", dependsOn: [], held: false),
                AgentScope(name: "b", files: [], directories: ["src/"], task: nil, dependsOn: ["a"], held: false),
            ],
            conflicts: [AgentConflict(agents: ["a", "b"], overlaps: [EntryOverlap(entries: ["x.swift", "src/"], witness: "x.swift")])],
            tree: ["x.swift"],
            // The fixture is a plugin of the first protocol version: it keeps working.
            protocol: "scopelock.strategy/1"
        )
    }
}

/// A scratch folder a plugin runs in; fixtures record their pids in its `pids` file.
struct PluginScratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-plugins-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func url(_ name: String) -> URL { URL(fileURLWithPath: path + "/" + name) }

    /// Records an issue when a process a fixture started, or any member of the plugin's group, is still alive.
    func expectNoProcessLeft(sourceLocation: SourceLocation = #_sourceLocation) async {
        let text = (try? String(contentsOfFile: path + "/pids", encoding: .utf8)) ?? ""
        let pids = text.split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
        #expect(!pids.isEmpty, "the fixture recorded no pid", sourceLocation: sourceLocation)
        // SIGKILL takes effect at once, but the kernel may need a moment to finish each process off.
        var alive: [pid_t] = []
        for _ in 0..<25 {
            alive = pids.filter(Self.isAlive) + pids.prefix(1).flatMap(Self.livingMembers(ofGroup:))
            if alive.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        #expect(alive.isEmpty, "processes left behind: \(alive)", sourceLocation: sourceLocation)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `/proc/PID/stat` split after the command name: state, ppid, pgrp, ...
    static func stat(_ pid: pid_t) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    /// True while `pid` runs; a zombie waiting for a reaper counts as gone.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let fields = stat(pid), let state = fields.first else { return false }
        return state != "Z" && state != "X"
    }

    /// Living processes whose process group is `group`.
    static func livingMembers(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let fields = stat(pid), fields.count > 2 else { return false }
            return pid_t(fields[2]) == group && isAlive(pid)
        }
    }
}
