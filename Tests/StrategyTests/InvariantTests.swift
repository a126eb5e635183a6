import ScopeLockProtocol
import Testing

/// Every strategy on every graph gives an answer the host would accept, and the same answer every time.
@Suite struct InvariantTests {
    @Test(arguments: StrategyName.allCases, Fixture.allCases)
    func answerKeepsTheHostsInvariants(strategy: StrategyName, fixture: Fixture) throws {
        let request = fixture.request
        let answer = try strategy.resolve(request)
        let problems = InvariantChecker(request: request, answer: answer).violations()
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: StrategyName.allCases, Fixture.allCases)
    func answerIsDeterministic(strategy: StrategyName, fixture: Fixture) throws {
        #expect(try strategy.resolve(fixture.request) == strategy.resolve(fixture.request))
    }

    @Test(arguments: StrategyName.allCases, Fixture.allCases)
    func agentsWithoutConflictsOrDependenciesRunFirst(strategy: StrategyName, fixture: Fixture) throws {
        let request = fixture.request
        let answer = try strategy.resolve(request)
        let conflicting = Set(request.conflicts.flatMap(\.agents))
        for agent in request.agents where !conflicting.contains(agent.name) && agent.dependsOn.isEmpty {
            #expect(answer.wave(of: agent.name) == 0, "\(agent.name)")
        }
    }

    @Test(arguments: StrategyName.allCases)
    func heldAgentGoesInTheFirstWave(strategy: StrategyName) throws {
        let answer = try strategy.resolve(Fixture.held.request)
        #expect(answer.wave(of: "owner") == 0)
        #expect(answer.agent("owner")?.directories == ["api/"])
    }

    @Test(arguments: StrategyName.allCases)
    func describeNamesTheStrategy(strategy: StrategyName) {
        let description = strategy.strategy.description
        #expect(description.name == strategy.rawValue)
        #expect(description.protocol == "scopelock.strategy/2")
        #expect(!description.version.isEmpty)
    }
}
