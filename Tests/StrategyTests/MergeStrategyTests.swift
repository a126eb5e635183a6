import ScopeLockProtocol
import Testing

@Suite struct MergeStrategyTests {
    let strategy = StrategyName.merge

    @Test func chainBecomesOneAgent() throws {
        let answer = try strategy.resolve(Fixture.chain.request)
        let merged = try #require(answer.agents?.first)
        #expect(answer.agents?.count == 1)
        #expect(merged.name == "a")
        #expect(merged.mergedFrom == ["a", "b", "c", "d"])
        #expect(merged.files == ["shared/1.txt", "shared/2.txt", "shared/3.txt", "shared/4.txt"])
        #expect(merged.task == "work of a; work of b; work of c; work of d")
        #expect(answer.waves == [["a"]])
        #expect(answer.actions(.merge).first?.agents == ["a", "b", "c", "d"])
    }

    @Test func qualysMergesTheDeveloperAndTheTester() throws {
        let answer = try strategy.resolve(Fixture.qualysWithDependency.request)
        let merged = try #require(answer.agent("integration-developer"))
        #expect(merged.mergedFrom == ["integration-developer", "backend-tester"])
        #expect(merged.files == ["backend/pkg/integrations/*/*_test.go"])
        #expect(merged.directories == ["backend/pkg/integrations/qualys/"])
        #expect(merged.task == "Implement Qualys integration client and collector; Write tests for the integrations")
        #expect(answer.agent("frontend-developer")?.mergedFrom == nil)
        #expect(answer.waves == [["integration-developer", "frontend-developer"]])
    }

    @Test func separateComponentsStaySeparate() throws {
        let answer = try strategy.resolve(Fixture.disjointPairs.request)
        #expect(answer.agents?.map(\.name) == ["x1", "y1"])
        #expect(answer.agent("x1")?.mergedFrom == ["x1", "x2"])
        #expect(answer.agent("y1")?.mergedFrom == ["y1", "y2"])
        #expect(answer.waves == [["x1", "y1"]])
    }

    @Test func heldAgentIsNeverMerged() throws {
        let answer = try strategy.resolve(Fixture.held.request)
        #expect(answer.agents?.map(\.name) == ["handler", "routes", "owner", "web"])
        #expect(answer.actions(.merge).isEmpty)
        #expect(answer.waves == [["owner", "web"], ["handler", "routes"]])
    }

    @Test func externalDependenciesAreKept() throws {
        let answer = try strategy.resolve(Fixture.dependencyChain.request)
        // b and e merge into b, which still runs after a and before c.
        #expect(answer.agent("b")?.mergedFrom == ["b", "e"])
        #expect(answer.waves == [["a", "d"], ["b"], ["c"]])
    }

    @Test func groupsTiedByADependencyCycleMergeToo() throws {
        let answer = try strategy.resolve(Fixture.dependencyThroughConflict.request)
        #expect(answer.agents?.count == 1)
        #expect(answer.agent("a")?.mergedFrom == ["a", "b", "c"])
        #expect(answer.actions(.merge).first?.reason.contains("cycle") == true)
    }
}
