import ScopeLockProtocol
import Testing

/// The strategies plan from the conflicts the host reports, which it finds exactly through an index; they never
/// compare every pair of scopes themselves (that grew as the square of the agents). These tests catch a return of
/// that comparison without timing anything.
@Suite struct HostConflictsTests {
    /// `count` agents, each with files, directories and a glob of its own under `svc<i>/`.
    static func separateAgents(_ count: Int) -> [AgentScope] {
        (0..<count).map { index in
            RequestBuilder.agent(
                "agent\(index)",
                files: ["svc\(index)/main.go", "svc\(index)/gen/**/*.pb.go"], directories: ["svc\(index)/pkg/"]
            )
        }
    }

    @Test(arguments: StrategyName.allCases)
    func manyAgentsWithoutConflictsShareOneWave(strategy: StrategyName) throws {
        let agents = Self.separateAgents(1_000)
        let request = ResolveRequest(workflow: "test", options: [:], agents: agents, conflicts: [], tree: [])
        let answer = try strategy.resolve(request)
        #expect(answer.waves == [agents.map(\.name)])
        #expect(answer.actions == [])
        #expect(answer.agents?.map(\.name) == agents.map(\.name))
    }

    /// Every agent claims the same directory and file, but the request reports no conflict: a strategy that took
    /// only the host's conflicts runs them all at once; one that compared the scopes itself would not.
    @Test(arguments: StrategyName.allCases)
    func overlapsTheHostDidNotReportAreNotLookedFor(strategy: StrategyName) throws {
        let agents = (0..<50).map { RequestBuilder.agent("agent\($0)", files: ["shared/a.go"], directories: ["shared/"]) }
        let request = ResolveRequest(workflow: "test", options: [:], agents: agents, conflicts: [], tree: ["shared/a.go"])
        let answer = try strategy.resolve(request)
        #expect(answer.waves == [agents.map(\.name)])
        #expect(answer.actions == [])
    }

    /// Sparse conflicts as in the plan benchmark: agent 10k also claims a file in a directory of agent 10k - 1. The
    /// conflicts are given as the host would report them; every strategy resolves exactly those pairs.
    @Test(arguments: StrategyName.allCases)
    func sparseConflictsAreResolvedPairByPair(strategy: StrategyName) throws {
        var agents = Self.separateAgents(60)
        var conflicts: [AgentConflict] = []
        for index in stride(from: 10, to: agents.count, by: 10) {
            let file = "svc\(index - 1)/pkg/shared.go"
            agents[index].files.append(file)
            conflicts.append(AgentConflict(
                agents: [agents[index - 1].name, agents[index].name],
                overlaps: [EntryOverlap(entries: ["svc\(index - 1)/pkg/", file], witness: file)]
            ))
        }
        let request = ResolveRequest(workflow: "test", options: [:], agents: agents, conflicts: conflicts, tree: ["svc9/pkg/shared.go"])
        let answer = try strategy.resolve(request)
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
        let actions = answer.actions ?? []
        if strategy == .merge {
            #expect(answer.waves?.count == 1)
            #expect(answer.agents?.count == agents.count - conflicts.count)
            #expect(actions.count == conflicts.count && actions.allSatisfy { $0.kind == .merge })
        } else if strategy == .reassign {
            // Each directory gives up the file another agent claims, by an exclude: one wave.
            #expect(answer.waves?.count == 1)
            #expect(actions.count == conflicts.count && actions.allSatisfy { $0.kind == .reassign })
        } else {
            // Nothing can be reassigned or divided here (each directory keeps a file another agent claims): sequenced.
            #expect(answer.waves?.count == 2)
            #expect(actions.count == conflicts.count && actions.allSatisfy { $0.kind == .sequence })
        }
    }
}
