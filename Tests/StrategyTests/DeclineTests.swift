import ScopeLockProtocol
import Testing

/// Requests no strategy can resolve are declined with a stable code, never answered with a broken plan.
@Suite struct DeclineTests {
    @Test(arguments: StrategyName.allCases)
    func dependencyCycleIsDeclined(strategy: StrategyName) throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("a", files: ["a.txt"], dependsOn: ["b"]),
            RequestBuilder.agent("b", files: ["b.txt"], dependsOn: ["a"]),
        ])
        let answer = try strategy.resolve(request)
        #expect(answer.status == .declined)
        #expect(answer.error?.code == "dependency_cycle")
    }

    @Test(arguments: StrategyName.allCases)
    func duplicateAgentIsDeclined(strategy: StrategyName) throws {
        let request = ResolveRequest(
            workflow: "test", options: [:],
            agents: [RequestBuilder.agent("a", files: ["a.txt"]), RequestBuilder.agent("a", files: ["b.txt"])],
            conflicts: [], tree: []
        )
        #expect(try strategy.resolve(request).error?.code == "bad_request")
    }

    @Test(arguments: StrategyName.allCases)
    func conflictNamingAnUnknownAgentIsDeclined(strategy: StrategyName) throws {
        let request = ResolveRequest(
            workflow: "test", options: [:], agents: [RequestBuilder.agent("a", files: ["a.txt"])],
            conflicts: [AgentConflict(agents: ["a", "ghost"], overlaps: [EntryOverlap(entries: ["a.txt", "a.txt"], witness: "a.txt")])],
            tree: []
        )
        #expect(try strategy.resolve(request).error?.code == "bad_request")
    }

    @Test(arguments: StrategyName.allCases)
    func emptyEntryIsDeclined(strategy: StrategyName) throws {
        let request = ResolveRequest(
            workflow: "test", options: [:], agents: [RequestBuilder.agent("a", files: [""])], conflicts: [], tree: []
        )
        #expect(try strategy.resolve(request).error?.code == "bad_request")
    }

    @Test(arguments: StrategyName.allCases)
    func dependencyOnAnAgentTakingNoLockIsIgnored(strategy: StrategyName) throws {
        let request = RequestBuilder.request([RequestBuilder.agent("a", files: ["a.txt"], dependsOn: ["reviewer"])])
        let answer = try strategy.resolve(request)
        #expect(answer.waves == [["a"]])
    }

    @Test(arguments: StrategyName.allCases)
    func emptyRequestGivesAnEmptyPlan(strategy: StrategyName) throws {
        let answer = try strategy.resolve(RequestBuilder.request([]))
        #expect(answer.status == .resolved)
        #expect(answer.agents == [])
        #expect(answer.waves == [])
    }
}
