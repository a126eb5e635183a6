import ScopeLockProtocol
import Testing

@Suite struct ReassignStrategyTests {
    let strategy = StrategyName.reassign

    @Test func contestedFileGoesToTheExactFileClaimant() throws {
        let answer = try strategy.resolve(Fixture.globAndFiles.request)
        let reassign = try #require(answer.actions(.reassign).first)
        #expect(answer.actions(.reassign).count == 1)
        #expect(reassign.agents == ["main", "scripts", "docs"])
        #expect(reassign.entries == ["src/main.py"])
        #expect(answer.agent("main")?.files == ["src/main.py"])
        #expect(answer.agent("docs")?.files == ["docs/x.md"])
        // The glob still covers the file: the file is excluded from it, and all run side by side.
        #expect(answer.agent("scripts")?.files == ["src/*.py"])
        #expect(answer.agent("scripts")?.excludes == ["src/main.py"])
        #expect(answer.actions(.sequence).isEmpty)
        #expect(answer.waves?.count == 1)
        #expect(InvariantChecker(request: Fixture.globAndFiles.request, answer: answer).violations().isEmpty)
    }

    @Test func cliqueOnOneFileBecomesOneWave() throws {
        let answer = try strategy.resolve(Fixture.clique.request)
        #expect(answer.waves == [["p1", "p2", "p3", "p4", "p5"]])
        #expect(answer.agent("p1")?.files == ["config/settings.yml", "src/p1.swift"])
        for index in 2...5 {
            #expect(answer.agent("p\(index)")?.files == ["src/p\(index).swift"])
        }
        let reassign = try #require(answer.actions(.reassign).first)
        #expect(reassign.agents == ["p1", "p2", "p3", "p4", "p5"])
    }

    @Test func chainOfSharedFilesBecomesOneWave() throws {
        let answer = try strategy.resolve(Fixture.chain.request)
        #expect(answer.waves?.count == 1)
        #expect(answer.agent("a")?.files == ["shared/1.txt"])
        #expect(answer.agent("b")?.files == ["shared/2.txt"])
        #expect(answer.agent("c")?.files == ["shared/3.txt"])
        #expect(answer.agent("d")?.files == ["shared/4.txt"])
    }

    @Test func fileInsideAnotherAgentsDirectoryIsExcludedFromIt() throws {
        let answer = try strategy.resolve(Fixture.star.request)
        #expect(!answer.actions(.reassign).isEmpty)
        #expect(answer.agent("hub")?.directories == ["lib/"])
        #expect(answer.agent("hub")?.excludes?.contains("lib/a.go") == true)
        #expect(answer.agent("spoke-a")?.files == ["lib/a.go"])
        #expect(answer.waves?.count == 1)
        #expect(InvariantChecker(request: Fixture.star.request, answer: answer).violations().isEmpty)
    }

    @Test func theSeedsDeveloperAndTesterRunSideBySide() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("integration-developer", directories: ["backend/pkg/integrations/qualys/"]),
            RequestBuilder.agent("backend-tester", files: ["backend/pkg/integrations/*/*_test.go"]),
        ], tree: ["backend/pkg/integrations/qualys/client.go", "backend/pkg/integrations/qualys/client_test.go"])
        let answer = try strategy.resolve(request)
        #expect(answer.waves == [["integration-developer", "backend-tester"]])
        #expect(answer.agent("integration-developer")?.excludes == ["backend/pkg/integrations/*/*_test.go"])
        #expect(answer.agent("backend-tester")?.excludes == nil)
        let reassign = try #require(answer.actions(.reassign).first)
        #expect(reassign.agents == ["backend-tester", "integration-developer"])
        #expect(reassign.reason.contains("excluded from integration-developer"))
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func twoGlobsNeitherInsideTheOtherAreSequencedSayingWhy() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("go", files: ["src/*.go"]),
            RequestBuilder.agent("x", files: ["src/x*"]),
        ])
        let answer = try strategy.resolve(request)
        #expect(answer.waves?.count == 2)
        let sequence = try #require(answer.actions(.sequence).first)
        #expect(sequence.reason.contains("neither src/*.go of go nor src/x* of x is the narrower claim"), "\(sequence.reason)")
    }

    @Test func anExcludeThatWouldEmptyAnEntryIsNotMade() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("narrow", files: ["src/a*.go"]),
            RequestBuilder.agent("wide", files: ["src/a*.go"], directories: ["src/"]),
        ])
        let answer = try strategy.resolve(request)
        #expect(answer.waves?.count == 2)
        #expect(answer.actions(.sequence).first?.reason.contains("would leave an entry covering nothing") == true, "\(answer.actions)")
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }

    @Test func heldAgentKeepsTheFileAndTheLoserIsLeftEmpty() throws {
        let answer = try strategy.resolve(Fixture.held.request)
        let handler = try #require(answer.agent("handler"))
        #expect(handler.files.isEmpty && handler.directories.isEmpty)
        #expect(answer.actions(.reassign).first?.agents == ["owner", "handler"])
        #expect(answer.wave(of: "handler") == 0)
        #expect(answer.wave(of: "routes") == 1)
    }

    @Test func earliestExactClaimantWinsAmongEquals() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("late", files: ["b.txt"]),
            RequestBuilder.agent("first", files: ["a.txt", "b.txt"]),
            RequestBuilder.agent("second", files: ["a.txt"]),
        ])
        let answer = try strategy.resolve(request)
        #expect(answer.agent("late")?.files == ["b.txt"])
        #expect(answer.agent("first")?.files == ["a.txt"])
        #expect(answer.agent("second")?.files == [])
        #expect(answer.waves?.count == 1)
    }

    @Test func globBeatsDirectory() throws {
        let request = RequestBuilder.request([
            RequestBuilder.agent("tree", directories: ["src/"]),
            RequestBuilder.agent("tests", files: ["src/*_test.go"]),
            RequestBuilder.agent("one", files: ["src/a_test.go"]),
        ], tree: ["src/a_test.go", "src/a.go"])
        let answer = try strategy.resolve(request)
        // The exact file entry wins and is excluded from the glob and the directory. The glob lies inside the
        // directory, but has given a part of it away: judged on the safe side, that pair is sequenced, saying why.
        #expect(answer.agent("one")?.files == ["src/a_test.go"])
        #expect(answer.agent("tests")?.excludes == ["src/a_test.go"])
        #expect(answer.agent("tree")?.excludes == ["src/a_test.go"])
        #expect(answer.waves?.count == 2)
        #expect(answer.actions(.sequence).first?.reason.contains("tests has given part of it away") == true, "\(answer.actions)")
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }
}
