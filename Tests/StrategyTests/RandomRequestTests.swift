import ScopeLockProtocol
import Testing

/// Many generated requests, mixing files, globs and nested directories with dependencies and held agents:
/// every strategy's answer must keep the host's invariants.
@Suite struct RandomRequestTests {
    /// A small deterministic generator (64-bit linear congruential), so failures can be replayed by seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func chance(_ percent: Int) -> Bool { next(100) < percent }
    }

    static let tree = [
        "README.md", "docs/guide.md", "docs/api/index.md",
        "src/main.go", "src/main_test.go", "src/util.go",
        "src/a/x.go", "src/a/x_test.go", "src/a/y.go", "src/a/deep/z.go",
        "src/b/w.go", "src/b/w_test.go", "web/[id]/page.tsx", "web/index.ts",
    ]
    static let files = ["README.md", "src/main.go", "src/util.go", "src/a/x.go", "src/b/w.go", "docs/guide.md", "web/index.ts", "new/file.txt"]
    static let globs = ["src/**/*_test.go", "src/*.go", "docs/**", "src/a/*", "**/*.md", "web/*/page.tsx"]
    static let directories = ["src/", "src/a/", "src/a/deep/", "src/b/", "docs/", "docs/api/", "web/", "web/[id]/"]

    static func request(seed: UInt64) -> ResolveRequest {
        var random = Generator(state: seed)
        let count = 2 + random.next(6)
        var agents: [AgentScope] = []
        for index in 0..<count {
            var files: [String] = []
            var directories: [String] = []
            for _ in 0..<(1 + random.next(3)) {
                switch random.next(3) {
                case 0: files.append(Self.files[random.next(Self.files.count)])
                case 1: files.append(Self.globs[random.next(Self.globs.count)])
                default: directories.append(Self.directories[random.next(Self.directories.count)])
                }
            }
            let dependsOn = index > 0 && random.chance(25) ? ["agent\(random.next(index))"] : []
            agents.append(RequestBuilder.agent(
                "agent\(index)", files: Array(Set(files)).sorted(), directories: Array(Set(directories)).sorted(),
                dependsOn: dependsOn, held: random.chance(10)
            ))
        }
        var options: [String: JSONValue] = [:]
        if random.chance(20) { options["max_parallel"] = .number(Double(1 + random.next(3))) }
        return RequestBuilder.request(agents, tree: tree, options: options)
    }

    @Test(arguments: StrategyName.allCases)
    func generatedRequestsKeepTheInvariants(strategy: StrategyName) async throws {
        for seed in UInt64(1)...300 {
            await Task.yield()  // heavy and synchronous: leave room for the suite's timed tests
            let request = Self.request(seed: seed)
            let answer = try strategy.resolve(request)
            let problems = InvariantChecker(request: request, answer: answer).violations()
            #expect(problems.isEmpty, "seed \(seed): \(problems.joined(separator: "; "))")
            if let cap = request.options["max_parallel"], case .number(let size) = cap {
                #expect(answer.waves?.allSatisfy { $0.count <= Int(size) } == true, "seed \(seed)")
            }
        }
    }
}
