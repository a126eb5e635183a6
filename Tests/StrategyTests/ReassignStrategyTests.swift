import ScopeLockProtocol
import Testing

@Suite struct ReassignStrategyTests {
    let strategy = StrategyName.reassign

    @Test func contestedFileGoesToTheExactFileClaimant() throws {
        let answer = try strategy.resolve(Fixture.globAndFiles.request)
        let reassign = try #require(answer.actions(.reassign).first)
        #expect(answer.actions(.reassign).count == 1)
        #expect(reassign.agents == ["main", "docs"])
        #expect(reassign.entries == ["src/main.py"])
        #expect(answer.agent("main")?.files == ["src/main.py"])
        #expect(answer.agent("docs")?.files == ["docs/x.md"])
        // The glob still covers the file: it cannot be carved out, so that pair is sequenced.
        #expect(answer.agent("scripts")?.files == ["src/*.py"])
        let sequence = try #require(answer.actions(.sequence).first)
        #expect(answer.actions(.sequence).count == 1)
        #expect(Set(sequence.agents) == ["scripts", "main"])
        #expect(sequence.reason.contains("cannot be carved out"))
        #expect(answer.waves?.count == 2)
        #expect(answer.wave(of: "docs") == 0)
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

    @Test func fileInsideAnotherAgentsDirectoryIsSequenced() throws {
        let answer = try strategy.resolve(Fixture.star.request)
        #expect(answer.actions(.reassign).isEmpty)
        #expect(answer.agent("hub")?.directories == ["lib/"])
        #expect(answer.agent("spoke-a")?.files == ["lib/a.go"])
        #expect(answer.waves?.count == 2)
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
        // The exact file entry wins; neither the glob nor the directory can give the file up.
        #expect(answer.agent("one")?.files == ["src/a_test.go"])
        #expect(answer.actions(.reassign).isEmpty)
        #expect(InvariantChecker(request: request, answer: answer).violations().isEmpty)
    }
}
