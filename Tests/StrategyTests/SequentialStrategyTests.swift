import ScopeLockProtocol
import Testing

@Suite struct SequentialStrategyTests {
    let strategy = StrategyName.sequential

    @Test func fiveCliqueNeedsFiveWaves() throws {
        let answer = try strategy.resolve(Fixture.clique.request)
        #expect(answer.waves == [["p1"], ["p2"], ["p3"], ["p4"], ["p5"]])
        #expect(answer.actions(.sequence).count == 10)
    }

    @Test func chainNeedsTwoWaves() throws {
        let answer = try strategy.resolve(Fixture.chain.request)
        #expect(answer.waves == [["a", "c"], ["b", "d"]])
    }

    @Test func disjointAgentsShareOneWave() throws {
        let answer = try strategy.resolve(Fixture.disjoint.request)
        #expect(answer.waves == [["docs", "app", "tests", "readme"]])
        #expect(answer.actions?.isEmpty == true)
    }

    @Test func disjointPairsNeedTwoWaves() throws {
        let answer = try strategy.resolve(Fixture.disjointPairs.request)
        #expect(answer.waves?.count == 2)
    }

    @Test func starPutsTheHubAlone() throws {
        let answer = try strategy.resolve(Fixture.star.request)
        #expect(answer.waves?.count == 2)
        let hubWave = try #require(answer.wave(of: "hub"))
        #expect(answer.waves?[hubWave] == ["hub"])
    }

    @Test func scopesStayAsRequested() throws {
        let request = Fixture.qualys.request
        let answer = try strategy.resolve(request)
        #expect(answer.agents?.map(\.name) == request.agents.map(\.name))
        for agent in request.agents {
            #expect(answer.agent(agent.name)?.files == agent.files)
            #expect(answer.agent(agent.name)?.directories == agent.directories)
        }
    }

    @Test func eachConflictIsOneSequenceActionNamingItsWitness() throws {
        let request = Fixture.qualys.request
        let answer = try strategy.resolve(request)
        #expect(request.conflicts.count == 1)
        let action = try #require(answer.actions(.sequence).first)
        #expect(answer.actions?.count == 1)
        #expect(action.agents == ["integration-developer", "backend-tester"])
        #expect(action.entries == ["backend/pkg/integrations/qualys/", "backend/pkg/integrations/*/*_test.go"])
        #expect(action.reason.contains(request.conflicts[0].overlaps[0].witness))
        #expect(answer.waves == [["integration-developer", "frontend-developer"], ["backend-tester"]])
    }

    @Test func dependencyChainRunsInOrder() throws {
        let answer = try strategy.resolve(Fixture.dependencyChain.request)
        #expect(answer.waves == [["a", "d", "e"], ["b"], ["c"]])
    }

    @Test func dependentRunsAfterItsDependencyEvenWithoutConflict() throws {
        let answer = try strategy.resolve(Fixture.qualysWithDependency.request)
        #expect(answer.waves == [["integration-developer", "frontend-developer"], ["backend-tester"]])
    }

    @Test func maxParallelCapsEachWave() throws {
        var request = Fixture.disjoint.request
        request.options = ["max_parallel": .number(3)]
        let answer = try strategy.resolve(request)
        #expect(answer.waves == [["docs", "app", "tests"], ["readme"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func badMaxParallelIsDeclined() throws {
        var request = Fixture.disjoint.request
        request.options = ["max_parallel": .number(0)]
        let answer = try strategy.resolve(request)
        #expect(answer.status == .declined)
        #expect(answer.error?.code == "bad_options")
    }

    @Test func unknownOptionsAreIgnored() throws {
        var request = Fixture.chain.request
        request.options = ["colour": .string("blue")]
        #expect(try strategy.resolve(request).status == .resolved)
    }
}
