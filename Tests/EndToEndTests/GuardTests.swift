import Foundation
import Testing

/// `scopelock guard` in a real git repository: staged changes inside the agent's lock, outside it, inside another
/// agent's lock, and a rename across a lock boundary; `--since`, given paths, and the example pre-commit hook.
@Suite(.timeLimit(.minutes(20))) struct GuardTests {
    /// A scratch git repository with one commit of `src/`, `lib/` and `README.md`, where `dev` holds `src/` and
    /// `other` holds `lib/`.
    static func repository() async throws -> CLI {
        let cli = try CLI()
        let setup = try await cli.bash("""
        set -e
        \(CLI.gitRepository)
        mkdir -p src lib
        echo 'package main' > src/main.go
        echo 'package lib' > lib/util.go
        echo 'package lib' > lib/moved.go
        echo '# Project' > README.md
        printf 'locks/\\n' > .gitignore
        git add -A && git commit -q -m initial
        "$SCOPELOCK" acquire dev src/ --task build >/dev/null
        "$SCOPELOCK" acquire other lib/ >/dev/null
        """)
        #expect(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
        return cli
    }

    /// Runs `guard ARGUMENTS --json`, checks the exit status against `ok`, and keeps the output for the schema check.
    static func guardJSON(_ cli: CLI, _ arguments: [String], outputs: inout [String]) async throws -> [String: Any] {
        let result = try await cli.run(["guard"] + arguments + ["--json"])
        outputs.append(result.stdout)
        let ok = result.json["ok"] as? Bool
        #expect(ok != nil, "\(result.stdout)\(result.stderr)")
        #expect(result.status == (ok == true ? 0 : SchemaFiles.exitStatus[result.errorCode ?? ""] ?? -1), "\(result.stdout)")
        return result.json
    }

    static func violations(_ json: [String: Any]) -> [[String: Any]] {
        (json["error"] as? [String: Any])?["violations"] as? [[String: Any]] ?? []
    }

    static func code(_ json: [String: Any]) -> String? { (json["error"] as? [String: Any])?["code"] as? String }

    @Test func stagedChangesAreCheckedAgainstTheLocks() async throws {
        let cli = try await Self.repository()
        var outputs: [String] = []

        // Nothing staged: nothing to refuse.
        let empty = try await Self.guardJSON(cli, ["dev", "--staged"], outputs: &outputs)
        #expect(empty["ok"] as? Bool == true && (empty["paths"] as? [Any])?.isEmpty == true)

        // Inside dev's lock, a new file included.
        try await cli.bash("echo '// more' >> src/main.go && echo 'package main' > src/new.go && git add src/")
        let inside = try await Self.guardJSON(cli, ["dev", "--staged"], outputs: &outputs)
        #expect(inside["ok"] as? Bool == true)
        let checked = try #require(inside["paths"] as? [[String: Any]])
        #expect(checked.compactMap { $0["path"] as? String }.sorted() == ["src/main.go", "src/new.go"])
        #expect(checked.allSatisfy { $0["entry"] as? String == "src/" })
        #expect((inside["violations"] as? [Any])?.isEmpty == true)

        // Outside any lock.
        try await cli.bash("echo 'more' >> README.md && git add README.md")
        let outside = try await Self.guardJSON(cli, ["dev", "--staged"], outputs: &outputs)
        #expect(Self.code(outside) == "guard_violation")
        let outsideViolations = Self.violations(outside)
        #expect(outsideViolations.count == 1)
        #expect(outsideViolations.first?["path"] as? String == "README.md")
        #expect(outsideViolations.first?["reason"] as? String == "outside_own_lock")
        #expect(outsideViolations.first?["agent"] == nil)
        try await cli.bash("git reset -q README.md && git checkout -q README.md")

        // Inside another agent's lock.
        try await cli.bash("echo '// mine now' >> lib/util.go && git add lib/util.go")
        let other = try await Self.guardJSON(cli, ["dev", "--staged"], outputs: &outputs)
        #expect(Self.code(other) == "guard_violation")
        let otherViolations = Self.violations(other).filter { $0["path"] as? String == "lib/util.go" }
        #expect(Set(otherViolations.compactMap { $0["reason"] as? String }) == ["outside_own_lock", "held_by_other"])
        let held = try #require(otherViolations.first { $0["reason"] as? String == "held_by_other" })
        #expect(held["agent"] as? String == "other" && held["entry"] as? String == "lib/" && held["expires_at"] is String)
        // The holder itself may commit it.
        try await cli.bash("git reset -q src/")
        let holder = try await Self.guardJSON(cli, ["other", "--staged"], outputs: &outputs)
        #expect(holder["ok"] as? Bool == true)
        try await cli.bash("git reset -q lib/util.go && git checkout -q lib/util.go")

        // A rename across the boundary counts both names: the old one is other's, the new one dev's.
        try await cli.bash("git mv lib/moved.go src/moved.go")
        let renamed = try await Self.guardJSON(cli, ["dev", "--staged"], outputs: &outputs)
        #expect(Self.code(renamed) == "guard_violation")
        let renameViolations = Self.violations(renamed)
        #expect(Set(renameViolations.compactMap { $0["path"] as? String }) == ["lib/moved.go"], "\(renameViolations)")
        #expect(renameViolations.contains { $0["reason"] as? String == "held_by_other" && $0["agent"] as? String == "other" })
        let fromOther = try await Self.guardJSON(cli, ["other", "--staged"], outputs: &outputs)
        #expect(Set(Self.violations(fromOther).compactMap { $0["path"] as? String }) == ["src/moved.go"])

        // The work tree against a revision, and paths given directly.
        let since = try await Self.guardJSON(cli, ["dev", "--since", "HEAD"], outputs: &outputs)
        #expect(Set(Self.violations(since).compactMap { $0["path"] as? String }) == ["lib/moved.go"])
        let given = try await Self.guardJSON(cli, ["dev", "src/a.go", "./src/b/c.go", cli.directory + "/src/d.go"], outputs: &outputs)
        #expect((given["paths"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["src/a.go", "src/b/c.go", "src/d.go"])

        // A glob lock covers exactly what its pattern matches.
        try await cli.run(["acquire", "writer", "docs/**/*.md"])
        let globbed = try await Self.guardJSON(cli, ["writer", "docs/guide/intro.md", "docs/notes.txt"], outputs: &outputs)
        #expect(Self.violations(globbed).compactMap { $0["path"] as? String } == ["docs/notes.txt"])
        #expect(Self.violations(globbed).first?["reason"] as? String == "outside_own_lock")

        // An agent with no active lock may change nothing.
        let stranger = try await Self.guardJSON(cli, ["stranger", "src/a.go", "docs/x.md"], outputs: &outputs)
        #expect(Self.violations(stranger).filter { $0["reason"] as? String == "outside_own_lock" }.count == 2)
        let expired = """
        {"agent": "late", "locked_at": "2020-01-01T00:00:00Z", "files": ["README.md"], "expires_at": "2020-01-01T01:00:00Z"}
        """
        try cli.write("locks/late.lock", expired)
        let lateGuard = try await Self.guardJSON(cli, ["late", "README.md"], outputs: &outputs)
        #expect(Self.violations(lateGuard).first?["reason"] as? String == "outside_own_lock")

        // Bad input.
        for arguments in [["dev"], ["dev", "--staged", "src/a.go"], ["dev", "--since", "no-such-revision"], ["dev", "../outside.txt"], ["bad/name", "--staged"]] {
            let refused = try await Self.guardJSON(cli, arguments, outputs: &outputs)
            #expect(Self.code(refused) == "invalid_input", "\(arguments)")
        }

        let validated = try await SchemaFiles.validate(outputs, against: "guard-result.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
    }

    /// With `--root` below the repository's top level, paths are relative to the root, and changes outside it
    /// (which no lock can cover) are violations.
    @Test func rootBelowTheTopLevel() async throws {
        let cli = try await Self.repository()
        try await cli.bash("mkdir -p sub/pkg && echo x > sub/pkg/a.txt && echo y >> README.md && git add -A")
        let sub = cli.directory + "/sub"
        let granted = try await cli.run(["acquire", "subdev", "pkg/", "--root", sub, "-o", sub, "--json"])
        #expect(granted.status == 0, "\(granted.stdout)")
        let result = try await cli.run(["guard", "subdev", "--staged", "--root", sub, "-o", sub, "--json"])
        #expect(result.status == 1)
        let violations = Self.violations(result.json)
        #expect(violations.compactMap { $0["path"] as? String } == ["../README.md"], "\(result.stdout)")
    }

    /// `examples/hooks/pre-commit` stops a commit that leaves the agent's lock and lets one inside it through.
    @Test func preCommitHookGuardsCommits() async throws {
        let cli = try await Self.repository()
        let hook = SchemaFiles.testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/hooks/pre-commit").path
        let result = try await cli.bash("""
        cp \(SchemaFiles.quoted(hook)) .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
        echo '// edit' >> lib/util.go && git add lib/util.go
        if SCOPELOCK_AGENT=dev git commit -q -m 'outside' 2>hook.err; then echo 'outside: committed'; else echo 'outside: refused'; fi
        git reset -q lib/util.go && git checkout -q lib/util.go
        echo '// edit' >> src/main.go && git add src/main.go
        if SCOPELOCK_AGENT=dev git commit -q -m 'inside' >/dev/null; then echo 'inside: committed'; else echo 'inside: refused'; fi
        echo '// person' >> lib/util.go && git add lib/util.go
        if git commit -q -m 'by a person' >/dev/null; then echo 'unset: committed'; else echo 'unset: refused'; fi
        cat hook.err
        """)
        #expect(result.stdout.contains("outside: refused"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("inside: committed"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("unset: committed"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("guard_violation") && result.stdout.contains("lib/util.go: locked by other"), "\(result.stdout)")
    }
}
