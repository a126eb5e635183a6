import ScopeLockProtocol
import Testing

@Suite struct SplitStrategyTests {
    let strategy = StrategyName.split

    @Test func directoryIsDividedBetweenItsHolderAndTheClaimantOfASubdirectory() throws {
        let answer = try strategy.resolve(Fixture.nestedDirectories.request)
        #expect(answer.agent("outer")?.directories == ["src/b/"])
        #expect(answer.agent("outer")?.files == ["src/main.go"])
        #expect(answer.agent("inner")?.directories == ["src/a/"])
        #expect(answer.waves == [["outer", "inner"]])
        let split = try #require(answer.actions(.split).first)
        #expect(split.agents == ["outer", "inner"])
        #expect(split.entries == ["src/", "src/b/", "src/main.go"])
        #expect(answer.actions(.sequence).isEmpty)
    }

    @Test func qualysDirectoryLeavesTheTestFilesToTheTester() throws {
        let answer = try strategy.resolve(Fixture.qualys.request)
        let developer = try #require(answer.agent("integration-developer"))
        #expect(developer.files == [
            "backend/pkg/integrations/qualys/client.go",
            "backend/pkg/integrations/qualys/collector.go",
        ])
        #expect(developer.directories == ["backend/pkg/integrations/qualys/models/"])
        #expect(answer.agent("backend-tester")?.files == ["backend/pkg/integrations/*/*_test.go"])
        #expect(answer.waves == [["integration-developer", "backend-tester", "frontend-developer"]])
    }

    @Test func starHubKeepsWhatNoSpokeClaims() throws {
        let answer = try strategy.resolve(Fixture.star.request)
        #expect(answer.agent("hub")?.directories == ["lib/d/"])
        #expect(answer.agent("hub")?.files == ["lib/main.go"])
        #expect(answer.waves?.count == 1)
    }

    @Test func equalDirectoriesCannotBeDividedAndAreSequenced() throws {
        let answer = try strategy.resolve(Fixture.directoryClique.request)
        #expect(answer.actions(.split).isEmpty)
        #expect(answer.waves?.count == 5)
    }

    @Test func sameFileClaimedByBothIsSequenced() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("holder", files: ["src/a.go"], directories: ["src/"]),
            RequestBuilder.agent("other", files: ["src/a.go"]),
        ], tree: ["src/a.go", "src/b.go"])
        let answer = try strategy.resolve(request)
        #expect(answer.agent("holder")?.files == ["src/a.go", "src/b.go"])
        #expect(answer.agent("holder")?.directories == [])
        #expect(answer.waves?.count == 2)
        #expect(answer.actions(.sequence).count == 1)
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func directoryThatWouldKeepNothingStaysWhole() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("holder", directories: ["src/a/"]),
            RequestBuilder.agent("other", files: ["src/a/x.go"]),
        ], tree: ["src/a/x.go"])
        let answer = try strategy.resolve(request)
        #expect(answer.agent("holder")?.directories == ["src/a/"])
        #expect(answer.actions(.split).isEmpty)
        #expect(answer.waves?.count == 2)
    }

    @Test func threeLevelsOfNestingAllRunTogether() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("top", directories: ["src/"]),
            RequestBuilder.agent("middle", directories: ["src/a/"]),
            RequestBuilder.agent("leaf", files: ["src/a/x.go"]),
        ], tree: ["src/a/x.go", "src/a/y.go", "src/a/deep/z.go", "src/b.go"])
        let answer = try strategy.resolve(request)
        #expect(answer.agent("top")?.files == ["src/b.go"])
        #expect(answer.agent("top")?.directories == [])
        #expect(answer.agent("middle")?.files == ["src/a/y.go"])
        #expect(answer.agent("middle")?.directories == ["src/a/deep/"])
        #expect(answer.waves?.count == 1)
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func pathsWithPatternCharactersAreEscapedPieces() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("app", directories: ["app/"]),
            RequestBuilder.agent("page", directories: ["app/home/"]),
        ], tree: ["app/[id]/page.tsx", "app/home/page.tsx"])
        let answer = try strategy.resolve(request)
        #expect(answer.agent("app")?.directories == [#"app/\[id]/"#])
        #expect(answer.waves?.count == 1)
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }
}
