import Foundation
import Testing

/// Case 8: `guard --staged` sees a submodule bump. A gitlink `vendor/lib` whose commit changed touches everything
/// beneath `vendor/lib/`: it lies inside a lock on `vendor/lib/` (or the gitlink itself, or a folder above), and
/// another agent's lock on `vendor/lib/` or anything beneath it refuses it.
@Suite(.timeLimit(.minutes(5))) struct GuardSubmoduleTests {
    @Test func aStagedSubmoduleBumpIsCheckedAsItsFolder() async throws {
        let cli = try CLI()
        let setup = try await cli.bash("""
        set -e
        \(CLI.gitRepository)
        printf 'locks/\\n' > .gitignore
        echo 'package main' > main.go
        git add -A
        git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/lib
        git commit -q -m initial
        git update-index --cacheinfo 160000,2222222222222222222222222222222222222222,vendor/lib
        git diff --cached --raw
        """)
        #expect(setup.status == 0 && setup.stdout.contains("160000"), "\(setup.stdout) \(setup.stderr)")

        // Another agent holds something inside the submodule: the bump is refused for the developer.
        #expect(try await cli.run(["acquire", "dev", "main.go"]).status == 0)
        #expect(try await cli.run(["acquire", "vendorer", "vendor/lib/src/"]).status == 0)
        let refused = try await cli.run(["guard", "dev", "--staged", "--json"])
        #expect(refused.status == 1 && refused.errorCode == "guard_violation", "\(refused.stdout) \(refused.stderr)")
        let violations = (refused.json["error"] as? [String: Any])?["violations"] as? [[String: Any]] ?? []
        #expect(violations.contains { $0["path"] as? String == "vendor/lib/" && $0["reason"] as? String == "outside_own_lock" }, "\(violations)")
        #expect(violations.contains { $0["agent"] as? String == "vendorer" }, "\(violations)")

        // The holder of the whole submodule folder may commit the bump; one holding only part of it may not.
        #expect(try await cli.run(["release", "vendorer"]).status == 0)
        #expect(try await cli.run(["acquire", "dev", "main.go", "vendor/lib/"]).status == 0)
        let allowed = try await cli.run(["guard", "dev", "--staged", "--json"])
        #expect(allowed.status == 0, "\(allowed.stdout) \(allowed.stderr)")
        #expect((allowed.json["paths"] as? [[String: Any]])?.first?["path"] as? String == "vendor/lib/", "\(allowed.stdout)")
        #expect(try await cli.run(["acquire", "dev", "vendor/lib/src/"]).status == 0)
        let partial = try await cli.run(["guard", "dev", "--staged", "--json"])
        #expect(partial.status == 1 && partial.errorCode == "guard_violation", "\(partial.stdout)")
    }
}
