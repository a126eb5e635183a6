import ScopeLockProtocol
import Testing

/// The conflict graphs every strategy is run on.
enum Fixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// a-b-c-d: each agent shares one exact file with the next.
    case chain
    /// A directory holder and four agents inside it (two files, a sub-directory, a glob).
    case star
    /// Five agents that all claim the same file.
    case clique
    /// Five agents that all claim the same directory.
    case directoryClique
    /// Four agents, no conflicts.
    case disjoint
    /// Two separate conflicting pairs.
    case disjointPairs
    /// a → b → c by depends_on, with e conflicting with b.
    case dependencyChain
    /// An agent that holds its lock on a directory others reach into.
    case held
    /// The Qualys integration of the design: a directory, a test glob across integrations, a frontend directory.
    case qualys
    /// The same, with backend-tester depending on integration-developer as in the manifest example.
    case qualysWithDependency
    /// `src/` held by one agent, `src/a/` by another.
    case nestedDirectories
    /// A glob and two exact file entries on the same file.
    case globAndFiles
    /// a and c conflict; b depends on a and c on b, so merging a and c alone would close a cycle.
    case dependencyThroughConflict

    var testDescription: String { rawValue }

    var request: ResolveRequest {
        typealias R = RequestBuilder
        switch self {
        case .chain:
            return R.request([
                R.agent("a", files: ["shared/1.txt"]),
                R.agent("b", files: ["shared/1.txt", "shared/2.txt"]),
                R.agent("c", files: ["shared/2.txt", "shared/3.txt"]),
                R.agent("d", files: ["shared/3.txt", "shared/4.txt"]),
            ], tree: ["shared/1.txt", "shared/2.txt", "shared/3.txt", "shared/4.txt"])
        case .star:
            return R.request([
                R.agent("hub", directories: ["lib/"]),
                R.agent("spoke-a", files: ["lib/a.go"]),
                R.agent("spoke-b", files: ["lib/b.go"]),
                R.agent("spoke-c", directories: ["lib/c/"]),
                R.agent("spoke-docs", files: ["lib/*.md"]),
            ], tree: ["lib/a.go", "lib/b.go", "lib/c/x.go", "lib/c/y.go", "lib/d/z.go", "lib/main.go", "lib/README.md"])
        case .clique:
            return R.request((1...5).map { R.agent("p\($0)", files: ["config/settings.yml", "src/p\($0).swift"]) },
                             tree: ["config/settings.yml"] + (1...5).map { "src/p\($0).swift" })
        case .directoryClique:
            return R.request((1...5).map { R.agent("q\($0)", directories: ["pkg/"]) }, tree: ["pkg/a.go", "pkg/b/c.go"])
        case .disjoint:
            return R.request([
                R.agent("docs", directories: ["docs/"]),
                R.agent("app", files: ["src/app.swift"]),
                R.agent("tests", files: ["tests/*.swift"]),
                R.agent("readme", files: ["README.md"]),
            ], tree: ["README.md", "docs/index.md", "src/app.swift", "tests/AppTests.swift"])
        case .disjointPairs:
            return R.request([
                R.agent("x1", files: ["x/one.txt"]),
                R.agent("y1", files: ["y/one.txt", "y/two.txt"]),
                R.agent("x2", directories: ["x/"]),
                R.agent("y2", files: ["y/one.txt"]),
            ], tree: ["x/one.txt", "x/two.txt", "y/one.txt", "y/two.txt"])
        case .dependencyChain:
            return R.request([
                R.agent("a", files: ["a.txt"]),
                R.agent("b", files: ["b.txt"], dependsOn: ["a"]),
                R.agent("c", files: ["c.txt"], dependsOn: ["b"]),
                R.agent("d", files: ["d.txt"]),
                R.agent("e", files: ["b.txt", "e.txt"]),
            ], tree: ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
        case .held:
            return R.request([
                R.agent("handler", files: ["api/handler.go"]),
                R.agent("routes", directories: ["api/routes/"]),
                R.agent("owner", directories: ["api/"], held: true),
                R.agent("web", directories: ["web/"]),
            ], tree: ["api/handler.go", "api/main.go", "api/routes/r.go", "web/index.html"])
        case .qualys, .qualysWithDependency:
            return R.request([
                R.agent("integration-developer", directories: ["backend/pkg/integrations/qualys/"],
                        task: "Implement Qualys integration client and collector"),
                R.agent("backend-tester", files: ["backend/pkg/integrations/*/*_test.go"],
                        dependsOn: self == .qualysWithDependency ? ["integration-developer"] : [],
                        task: "Write tests for the integrations"),
                R.agent("frontend-developer", directories: ["frontend/src/integrations/qualys/"],
                        task: "Build the Qualys settings page"),
            ], tree: [
                "backend/pkg/integrations/qualys/client.go",
                "backend/pkg/integrations/qualys/client_test.go",
                "backend/pkg/integrations/qualys/collector.go",
                "backend/pkg/integrations/qualys/collector_test.go",
                "backend/pkg/integrations/qualys/models/asset.go",
                "backend/pkg/integrations/tenable/client_test.go",
                "frontend/src/integrations/qualys/index.ts",
            ])
        case .nestedDirectories:
            return R.request([
                R.agent("outer", directories: ["src/"]),
                R.agent("inner", directories: ["src/a/"]),
            ], tree: ["src/a/x.go", "src/a/y.go", "src/b/z.go", "src/main.go"])
        case .globAndFiles:
            return R.request([
                R.agent("scripts", files: ["src/*.py"]),
                R.agent("main", files: ["src/main.py"]),
                R.agent("docs", files: ["src/main.py", "docs/x.md"]),
            ], tree: ["docs/x.md", "src/main.py", "src/util.py"])
        case .dependencyThroughConflict:
            return R.request([
                R.agent("a", files: ["m/one.txt"]),
                R.agent("b", files: ["n/two.txt"], dependsOn: ["a"]),
                R.agent("c", files: ["m/one.txt", "m/three.txt"], dependsOn: ["b"]),
            ], tree: ["m/one.txt", "m/three.txt", "n/two.txt"])
        }
    }
}

/// The built-in strategies, by name.
enum StrategyName: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sequential, reassign, split, merge

    var testDescription: String { rawValue }
}
