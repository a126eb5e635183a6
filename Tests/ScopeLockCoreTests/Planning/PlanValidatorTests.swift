import Foundation
import ScopeLockProtocol
@testable import ScopeLockCore
import Testing

/// The check of a strategy's answer stays exact while it leans on what the host already knows: unchanged agents
/// by the host's conflicts, everything else through an index.
@Suite struct PlanValidatorTests {
    /// A request for `agents` (name, files, directories) as `plan` builds it, with its compiled scopes.
    static func request(_ agents: [(String, [String], [String])], tree: [String] = []) throws -> (ResolveRequest, [CompiledScope]) {
        let manifestAgents = try agents.map { name, files, directories in
            ManifestAgent(
                name: name, task: nil, fileEntries: try files.map { try ScopeEntry(parsing: $0) },
                directoryEntries: try directories.map { try ScopeEntry(parsing: $0, asDirectory: true) },
                dependsOn: [], access: .write, line: nil, column: nil
            )
        }
        let scopes = manifestAgents.map(CompiledScope.init)
        let request = ResolveRequest(
            workflow: "test", options: [:],
            agents: manifestAgents.map { AgentScope(name: $0.name, files: $0.files, directories: $0.directories, task: nil, dependsOn: [], held: false) },
            conflicts: ConflictDetector.conflicts(among: scopes), tree: tree
        )
        return (request, scopes)
    }

    /// The message of the `plugin_error` the answer gets, or nil when it is accepted.
    static func problem(_ request: (ResolveRequest, [CompiledScope]), _ agents: [ResolvedAgent], waves: [[String]]) -> String? {
        do {
            try PlanValidator(plugin: "test", request: request.0, scopes: request.1)
                .validate(.resolved(agents: agents, waves: waves, actions: []))
            return nil
        } catch {
            return error.message
        }
    }

    static let qualys = [
        ("developer", [], ["backend/qualys/"]),
        ("tester", ["backend/*/*_test.go"], []),
        ("frontend", [], ["frontend/qualys/"]),
    ] as [(String, [String], [String])]

    /// The agents of `request`, answered as they were asked.
    static func unchanged(_ request: ResolveRequest) -> [ResolvedAgent] {
        request.agents.map { ResolvedAgent(name: $0.name, files: $0.files, directories: $0.directories) }
    }

    @Test func unchangedConflictingAgentsInOneWaveAreRefused() throws {
        let request = try Self.request(Self.qualys)
        let message = Self.problem(request, Self.unchanged(request.0), waves: [["developer", "tester", "frontend"]])
        #expect(message?.contains("put conflicting agents developer and tester in wave 1") == true, "\(message ?? "accepted")")
        #expect(Self.problem(request, Self.unchanged(request.0), waves: [["developer", "frontend"], ["tester"]]) == nil)
    }

    @Test func aNewScopeIsCheckedAgainstItsWave() throws {
        let request = try Self.request(Self.qualys)
        // The tester's glob narrowed to a file the developer still covers: a conflict the host never saw.
        var agents = Self.unchanged(request.0)
        agents[1].files = ["backend/qualys/client_test.go", "backend/*/*_test.go"]
        let message = Self.problem(request, agents, waves: [["developer", "tester", "frontend"]])
        #expect(message?.contains("conflicting agents developer and tester") == true, "\(message ?? "accepted")")

        // A merged agent is a new scope too.
        let merged = [
            ResolvedAgent(name: "developer", files: ["backend/*/*_test.go"], directories: ["backend/qualys/"], mergedFrom: ["developer", "tester"]),
            ResolvedAgent(name: "frontend", files: [], directories: ["frontend/qualys/", "backend/qualys/sub/"]),
        ]
        let mergedMessage = Self.problem(request, merged, waves: [["developer", "frontend"]])
        #expect(mergedMessage?.contains("conflicting agents frontend and developer") == true, "\(mergedMessage ?? "accepted")")
        #expect(Self.problem(request, merged, waves: [["developer"], ["frontend"]]) == nil)
    }

    @Test func aDroppedEntryIsLostUnlessAnotherEntryCoversIt() throws {
        let request = try Self.request([("one", ["src/a.go", "docs/x.md"], []), ("two", [], ["src/"])])
        var agents = Self.unchanged(request.0)
        agents[0].files = ["docs/x.md"]
        #expect(Self.problem(request, agents, waves: [["one", "two"]]) == nil)  // two's src/ covers src/a.go
        agents[0].files = ["src/a.go"]
        let message = Self.problem(request, agents, waves: [["one"], ["two"]])
        #expect(message?.contains("lost docs/x.md from one's scope") == true, "\(message ?? "accepted")")
    }

    /// The scope engine compares text scalar for scalar: a canonically equivalent spelling names another path.
    @Test func anotherSpellingOfAnEntryIsAnotherEntry() throws {
        let request = try Self.request([("one", ["caf\u{E9}.txt"], [])])
        let message = Self.problem(request, [ResolvedAgent(name: "one", files: ["cafe\u{301}.txt"], directories: [])], waves: [["one"]])
        #expect(message?.contains("lost caf\u{E9}.txt") == true, "\(message ?? "accepted")")
    }

    @Test func manyUnchangedAgentsWithoutConflictsShareOneWave() throws {
        let agents = (0..<2_000).map { ("agent\($0)", ["svc\($0)/main.go", "svc\($0)/gen/**/*.pb.go"], ["svc\($0)/pkg/"]) }
        let request = try Self.request(agents)
        #expect(request.0.conflicts.isEmpty)
        #expect(Self.problem(request, Self.unchanged(request.0), waves: [request.0.agents.map(\.name)]) == nil)
    }
}
