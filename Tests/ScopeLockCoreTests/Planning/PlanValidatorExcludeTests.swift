import Foundation
import ScopeLockProtocol
@testable import ScopeLockCore
import Testing

/// The host's invariants for answers with excludes: what an exclude takes from one agent must be covered by
/// another, and agents side by side may not overlap once their excludes are counted.
@Suite struct PlanValidatorExcludeTests {
    static let seed = [
        ("developer", [], ["backend/pkg/integrations/qualys/"]),
        ("tester", ["backend/pkg/integrations/*/*_test.go"], []),
    ] as [(String, [String], [String])]

    static func problem(_ agents: [ResolvedAgent], waves: [[String]], tree: [String] = []) throws -> String? {
        PlanValidatorTests.problem(try PlanValidatorTests.request(Self.seed, tree: tree), agents, waves: waves)
    }

    @Test func theSeedSideBySideIsAccepted() throws {
        let agents = [
            ResolvedAgent(name: "developer", files: [], directories: ["backend/pkg/integrations/qualys/"],
                          excludes: ["backend/pkg/integrations/*/*_test.go"]),
            ResolvedAgent(name: "tester", files: ["backend/pkg/integrations/*/*_test.go"], directories: []),
        ]
        #expect(try Self.problem(agents, waves: [["developer", "tester"]]) == nil)
        #expect(try Self.problem(agents, waves: [["developer", "tester"]], tree: ["backend/pkg/integrations/qualys/client.go", "backend/pkg/integrations/qualys/client_test.go"]) == nil)
    }

    @Test func anExcludeGivenToNobodyIsAScopeLost() throws {
        // The developer gives up its tests, but the tester does not take them.
        let agents = [
            ResolvedAgent(name: "developer", files: [], directories: ["backend/pkg/integrations/qualys/"],
                          excludes: ["backend/pkg/integrations/qualys/*_test.go"]),
            ResolvedAgent(name: "tester", files: ["backend/pkg/integrations/other/*_test.go"], directories: []),
        ]
        let message = try Self.problem(agents, waves: [["developer"], ["tester"]])
        #expect(message?.contains("lost") == true && message?.contains("without giving it to another agent") == true, "\(message ?? "accepted")")
        #expect(message?.hasPrefix("strategy plugin test") == true)
        // Excluding one file nobody else covers is refused the same way.
        let one = [
            ResolvedAgent(name: "developer", files: [], directories: ["backend/pkg/integrations/qualys/"],
                          excludes: ["backend/pkg/integrations/qualys/client.go"]),
            ResolvedAgent(name: "tester", files: ["backend/pkg/integrations/*/*_test.go"], directories: []),
        ]
        let lost = try Self.problem(one, waves: [["developer"], ["tester"]])
        #expect(lost?.contains("backend/pkg/integrations/qualys/client.go") == true, "\(lost ?? "accepted")")
    }

    @Test func excludesCountInTheWaveCheck() throws {
        // An exclude that removes only part of the overlap leaves a conflict in one wave.
        let agents = [
            ResolvedAgent(name: "developer", files: [], directories: ["backend/pkg/integrations/qualys/"],
                          excludes: ["backend/pkg/integrations/qualys/a_test.go"]),
            ResolvedAgent(name: "tester", files: ["backend/pkg/integrations/*/*_test.go"], directories: []),
        ]
        let message = try Self.problem(agents, waves: [["developer", "tester"]])
        #expect(message?.contains("put conflicting agents") == true, "\(message ?? "accepted")")
    }

    @Test func anExcludeThatEmptiesAnEntryIsRefused() throws {
        let agents = [
            ResolvedAgent(name: "developer", files: [], directories: ["backend/pkg/integrations/qualys/"],
                          excludes: ["backend/pkg/integrations/qualys/"]),
            ResolvedAgent(name: "tester", files: ["backend/pkg/integrations/*/*_test.go"], directories: ["backend/pkg/integrations/qualys/"]),
        ]
        let message = try Self.problem(agents, waves: [["developer"], ["tester"]])
        #expect(message?.contains("bad exclude") == true, "\(message ?? "accepted")")
    }
}
