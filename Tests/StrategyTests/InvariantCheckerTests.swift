import ScopeLockProtocol
import Testing

/// The checker itself catches each kind of broken answer, so a passing strategy test means something.
@Suite struct InvariantCheckerTests {
    let request = Fixture.chain.request

    private func resolved(_ agents: [ResolvedAgent], _ waves: [[String]]) -> ResolveAnswer {
        .resolved(agents: agents, waves: waves, actions: [])
    }

    private var unchanged: [ResolvedAgent] {
        request.agents.map { ResolvedAgent(name: $0.name, files: $0.files, directories: $0.directories) }
    }

    @Test func soundAnswerPasses() {
        let answer = resolved(unchanged, [["a", "c"], ["b", "d"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func conflictInsideAWaveIsCaught() {
        let answer = resolved(unchanged, [["a", "b", "c", "d"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().contains { $0.contains("share a wave") })
    }

    @Test func missingAgentIsCaught() {
        let answer = resolved(Array(unchanged.dropLast()), [["a", "c"], ["b"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().contains { $0.contains("d appears 0 times") })
    }

    @Test func agentInTwoPlacesIsCaught() {
        var agents = unchanged
        agents[0].mergedFrom = ["a", "b"]
        let answer = resolved(agents, [["a", "c"], ["b", "d"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().contains { $0.contains("b appears 2 times") })
    }

    @Test func lostFileIsCaught() {
        var agents = unchanged
        agents[3].files = ["shared/3.txt"]
        let answer = resolved(agents, [["a", "c"], ["b", "d"]])
        #expect(InvariantChecker(request: request, answer: answer).violations().contains { $0.contains("shared/4.txt") })
    }

    @Test func lostTreeFileIsCaught() {
        let request = Fixture.nestedDirectories.request
        let answer = ResolveAnswer.resolved(
            agents: [ResolvedAgent(name: "outer", files: [], directories: ["src/b/"]), ResolvedAgent(name: "inner", files: [], directories: ["src/a/"])],
            waves: [["outer", "inner"]],
            actions: [PlanAction(kind: .split, agents: ["outer", "inner"], entries: ["src/", "src/b/"], reason: "")]
        )
        #expect(InvariantChecker(request: request, answer: answer).violations() == ["tree file src/main.go is lost"])
    }

    @Test func brokenDependencyOrderIsCaught() {
        let request = Fixture.dependencyChain.request
        let answer = ResolveAnswer.resolved(
            agents: request.agents.map { ResolvedAgent(name: $0.name, files: $0.files, directories: $0.directories) },
            waves: [["a", "b", "d"], ["c", "e"]], actions: []
        )
        #expect(InvariantChecker(request: request, answer: answer).violations() == ["b does not run after a"])
    }

    @Test func changedHeldScopeIsCaught() {
        let request = Fixture.held.request
        var agents = request.agents.map { ResolvedAgent(name: $0.name, files: $0.files, directories: $0.directories) }
        agents[2].directories = ["api/routes/"]
        let answer = ResolveAnswer.resolved(agents: agents, waves: [["owner", "web"], ["handler", "routes"]], actions: [])
        #expect(InvariantChecker(request: request, answer: answer).violations().contains("held owner changed its scope"))
    }
}
