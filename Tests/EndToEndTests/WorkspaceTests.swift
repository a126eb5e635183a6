import Foundation
import Testing

/// One lock space per repository, wherever an agent stands (docs/interface.md section 1), in real git
/// repositories: agents in subfolders and in linked worktrees meet; `.scopelock.yaml` and the precedence rules;
/// paths relative to the current directory; symbolic-link aliases for every command; braces; `init`; `where`;
/// the workflow's own lock space that `apply` reports.
@Suite(.timeLimit(.minutes(20))) struct WorkspaceTests {
    /// A scratch folder (no settings file) holding `repo/`, a git repository with one commit of
    /// `backend/pkg/integrations/qualys/{client.go,client_test.go}`, `frontend/app.ts` and `README.md`.
    static func repository() async throws -> CLI {
        let cli = try CLI(settings: false)
        let setup = try await cli.bash("""
        set -e
        mkdir -p repo && cd repo
        git init -q -b main .
        git config user.email dev@example.com && git config user.name dev
        mkdir -p backend/pkg/integrations/qualys frontend docs
        echo 'package qualys' > backend/pkg/integrations/qualys/client.go
        echo 'package qualys' > backend/pkg/integrations/qualys/client_test.go
        echo 'export {}' > frontend/app.ts
        echo '# readme' > README.md
        echo '# guide' > docs/guide.md
        git add . && git commit -q -m init
        """)
        #expect(setup.status == 0, "\(setup.stderr)")
        return cli
    }

    static func error(_ result: CLI.Result) -> [String: Any] { result.json["error"] as? [String: Any] ?? [:] }

    /// What the repository's working trees show to git.
    static func porcelain(_ cli: CLI, _ folder: String) async throws -> String {
        try await cli.bash("cd \(SchemaFiles.quoted(cli.directory + "/" + folder)) && git status --porcelain").stdout
    }

    @Test func agentsAtTheTopAndInSubfoldersShareOneLockSpace() async throws {
        let cli = try await Self.repository()
        let dev = try await cli.run(["acquire", "dev", "backend/", "--json"], in: "repo")
        #expect(dev.status == 0, "\(dev.stdout)")

        // From backend/, the tester's path is relative to backend/ and meets dev's lock.
        let tester = try await cli.run(["acquire", "tester", "pkg/integrations/qualys/client_test.go", "--json"], in: "repo/backend")
        #expect(tester.status == 1)
        let conflict = try #require((Self.error(tester)["conflicts"] as? [[String: Any]])?.first)
        #expect(conflict["agent"] as? String == "dev")
        #expect(conflict["requested"] as? String == "backend/pkg/integrations/qualys/client_test.go")

        // Every folder reports the same lock folder, under the git directory, and sees dev's lock.
        let expected = cli.directory + "/repo/.git/scopelock"
        for folder in ["repo", "repo/backend", "repo/backend/pkg/integrations", "repo/frontend"] {
            let found = try await cli.run(["where", "--json"], in: folder)
            #expect(found.json["root"] as? String == cli.directory + "/repo", "\(folder): \(found.stdout)")
            #expect(found.json["output_directory"] as? String == expected, "\(folder)")
            #expect(found.json["reasons"] as? [String: String] == ["root": "git_work_tree", "output_directory": "git_common_dir", "store": "default"])
            let status = try await cli.run(["status", "--json"], in: folder)
            #expect(status.json["lock_folder"] as? String == expected + "/locks")
            #expect((status.json["locks"] as? [[String: Any]])?.compactMap { $0["agent"] as? String } == ["dev"], "\(folder)")
        }
        // Nothing appeared in the working tree.
        #expect(try await Self.porcelain(cli, "repo").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: cli.directory + "/repo/backend/locks"))
    }

    @Test func pathsAreRelativeToTheCurrentFolderAndAbsolutePathsUnderTheRootAreAccepted() async throws {
        let cli = try await Self.repository()
        let relative = try await cli.run(["acquire", "a", "../docs/guide.md", "qualys.go", "--json"], in: "repo/backend")
        #expect(relative.status == 0, "\(relative.stdout)")
        let lock = try #require(relative.json["lock"] as? [String: Any])
        #expect(lock["files"] as? [String] == ["docs/guide.md", "backend/qualys.go"])
        let absolute = try await cli.run(["owner", cli.directory + "/repo/docs/guide.md", "--json"], in: "repo/frontend")
        #expect((absolute.json["paths"] as? [[String: Any]])?.first?["path"] as? String == "docs/guide.md")
        // Climbing out of the root is refused, from any folder.
        let escaping = try await cli.run(["acquire", "b", "../../x.go", "--json"], in: "repo/backend")
        #expect(escaping.status == 2 && escaping.errorCode == "invalid_input")
        // From outside the root (a given --root), paths are relative to the root.
        let outside = try await cli.run(["check", "c", "docs/guide.md", "--root", cli.directory + "/repo", "--json"], in: cli.directory)
        #expect(outside.status == 1, "\(outside.stdout)")
        // Records stay root-relative: the lock file holds what acquire printed.
        let status = try await cli.run(["status", "a", "--json"], in: "repo")
        #expect(((status.json["locks"] as? [[String: Any]])?.first?["lock"] as? [String: Any])?["files"] as? [String]
                == ["docs/guide.md", "backend/qualys.go"])
    }

    @Test func twoLinkedWorktreesShareOneLockSpaceAndNeitherTreeIsTouched() async throws {
        let cli = try await Self.repository()
        let added = try await cli.bash("cd repo && git worktree add -q -b feature ../feature && mkdir -p ../feature/backend")
        #expect(added.status == 0, "\(added.stderr)")
        let dev = try await cli.run(["acquire", "dev", "backend/pkg/integrations/qualys/"], in: "repo")
        #expect(dev.status == 0, "\(dev.stderr)")

        let other = try await cli.run(["acquire", "tester", "pkg/integrations/qualys/client_test.go", "--json"], in: "feature/backend")
        #expect(other.status == 1, "\(other.stdout)")
        #expect((Self.error(other)["conflicts"] as? [[String: Any]])?.first?["agent"] as? String == "dev")

        let found = try await cli.run(["where", "--json"], in: "feature")
        #expect(found.json["root"] as? String == cli.directory + "/feature")
        #expect(found.json["output_directory"] as? String == cli.directory + "/repo/.git/scopelock")
        #expect(found.json["git_common_dir"] as? String == cli.directory + "/repo/.git")

        let free = try await cli.run(["acquire", "ui", "frontend/"], in: "feature")
        #expect(free.status == 0)
        let status = try await cli.run(["status", "--json"], in: "repo")
        #expect(Set((status.json["locks"] as? [[String: Any]])?.compactMap { $0["agent"] as? String } ?? []) == ["dev", "ui"])
        #expect(try await Self.porcelain(cli, "repo").isEmpty)
        #expect(try await Self.porcelain(cli, "feature").isEmpty)
    }

    @Test func settingsFileAndPrecedence() async throws {
        let cli = try await Self.repository()
        try cli.write("repo/.scopelock.yaml", "version: 1\noutput_directory: ../shared-locks\n")
        let fromFile = try await cli.run(["where", "--json"], in: "repo/backend")
        #expect(fromFile.json["output_directory"] as? String == cli.directory + "/shared-locks")
        #expect((fromFile.json["reasons"] as? [String: String])?["output_directory"] == "configuration")
        #expect(fromFile.json["configuration"] as? String == cli.directory + "/repo/.scopelock.yaml")
        let dev = try await cli.run(["acquire", "dev", "../backend/", "--json"], in: "repo/frontend")
        #expect((dev.json["lock"] as? [String: Any])?["directories"] as? [String] == ["backend/"])
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/shared-locks/locks/dev.lock"))

        // The environment beats the file, and -o beats the environment.
        let environment = ["SCOPELOCK_OUTPUT_DIR": cli.directory + "/env-locks"]
        let fromEnvironment = try await cli.run(["where", "--json"], in: "repo", environment: environment)
        #expect(fromEnvironment.json["output_directory"] as? String == cli.directory + "/env-locks")
        let fromOption = try await cli.run(["where", "-o", "../opt-locks", "--json"], in: "repo", environment: environment)
        #expect(fromOption.json["output_directory"] as? String == cli.directory + "/opt-locks")
        #expect((fromOption.json["reasons"] as? [String: String])?["output_directory"] == "option")

        // A settings file in a subfolder makes that subfolder the root for agents below it.
        try cli.write("repo/frontend/.scopelock.yaml", "# frontend has its own lock space\n")
        let nested = try await cli.run(["where", "--json"], in: "repo/frontend")
        #expect(nested.json["root"] as? String == cli.directory + "/repo/frontend")
        #expect((nested.json["reasons"] as? [String: String])?["root"] == "configuration")
        #expect(nested.json["output_directory"] as? String == cli.directory + "/repo/.git/scopelock")
        let acquired = try await cli.run(["acquire", "ui", "app.ts", "--json"], in: "repo/frontend")
        #expect((acquired.json["lock"] as? [String: Any])?["files"] as? [String] == ["app.ts"])

        // --root and SCOPELOCK_ROOT beat the settings file.
        let rooted = try await cli.run(["where", "--json"], in: "repo/frontend", environment: ["SCOPELOCK_ROOT": cli.directory + "/repo"])
        #expect(rooted.json["root"] as? String == cli.directory + "/repo")
        #expect((rooted.json["reasons"] as? [String: String])?["root"] == "environment")

        var session = SchemaSession(cli: cli)
        for result in [fromFile, fromEnvironment, fromOption, nested, rooted] { session.keep(result, schema: "where") }
        try await session.validate()
    }

    @Test func outsideGitTheLocksLiveInADotScopelockFolderAtTheRoot() async throws {
        let cli = try CLI(settings: false)
        try cli.write("plain/src/a.go", "x")
        let found = try await cli.run(["where", "--json"], in: "plain")
        #expect(found.json["root"] as? String == cli.directory + "/plain")
        #expect(found.json["output_directory"] as? String == cli.directory + "/plain/.scopelock")
        #expect(found.json["reasons"] as? [String: String] == ["root": "current_directory", "output_directory": "root_folder", "store": "default"])
        #expect(found.json["git_work_tree"] == nil)
        let human = try await cli.run(["where"], in: "plain")
        #expect(human.stdout.contains(cli.directory + "/plain/.scopelock/locks"))
    }

    @Test func symbolicLinkAliasesAreResolvedForEveryCommand() async throws {
        let cli = try await Self.repository()
        try await cli.bash("cd repo && ln -s backend/pkg/integrations/qualys alias && ln -s .. up")
        let dev = try await cli.run(["acquire", "dev", "backend/pkg/integrations/qualys/", "--json"], in: "repo")
        #expect(dev.status == 0)

        // acquire: the alias is the same folder, so it conflicts; the warning says how it was read.
        let viaAlias = try await cli.run(["acquire", "tester", "alias/client.go", "--json"], in: "repo")
        #expect(viaAlias.status == 1, "\(viaAlias.stdout)")
        #expect((Self.error(viaAlias)["conflicts"] as? [[String: Any]])?.first?["requested"] as? String
                == "backend/pkg/integrations/qualys/client.go")
        #expect((viaAlias.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "resolved_symlink")
        let aliasFolder = try await cli.run(["acquire", "tester", "alias", "--json"], in: "repo")
        #expect(aliasFolder.status == 1)

        // check, owner and guard see through it too.
        let check = try await cli.run(["check", "tester", "alias/new_test.go", "--json"], in: "repo")
        #expect(check.status == 1 && check.errorCode == "conflict")
        let owner = try await cli.run(["owner", "alias/client.go", "--json"], in: "repo")
        let owners = (owner.json["paths"] as? [[String: Any]])?.first
        #expect(owners?["path"] as? String == "backend/pkg/integrations/qualys/client.go")
        #expect((owners?["owners"] as? [[String: Any]])?.first?["agent"] as? String == "dev")
        let guarded = try await cli.run(["guard", "other", "alias/client.go", "--json"], in: "repo")
        #expect(guarded.status == 1 && guarded.errorCode == "guard_violation", "\(guarded.stdout)")
        let allowed = try await cli.run(["guard", "dev", "alias/client.go", "--json"], in: "repo")
        #expect(allowed.status == 0, "\(allowed.stdout)")

        // plan: a manifest naming the alias conflicts with one naming the real folder.
        try cli.write("repo/MANIFEST.yaml", """
        version: 1
        workflow: aliases
        agents:
          - name: one
            directories: [alias/]
          - name: two
            files: [backend/pkg/integrations/qualys/client.go]
        """)
        let plan = try await cli.run(["plan", "MANIFEST.yaml", "--json"], in: "repo")
        #expect(plan.status == 0, "\(plan.stdout)")
        #expect((plan.json["conflicts"] as? [Any])?.count == 1)
        #expect((plan.json["waves"] as? [[String]])?.count == 2)
        #expect((plan.json["warnings"] as? [[String: Any]])?.contains { $0["code"] as? String == "resolved_symlink" } == true)

        // A link that leaves the root is invalid input, for every command; nothing is written.
        for arguments in [["acquire", "x", "up/elsewhere.txt"], ["check", "x", "up/"], ["owner", "up/x"], ["guard", "dev", "up/x"]] {
            let refused = try await cli.run(arguments + ["--json"], in: "repo")
            #expect(refused.status == 2 && refused.errorCode == "invalid_input", "\(arguments): \(refused.stdout)")
        }
        let status = try await cli.run(["status", "--json"], in: "repo")
        #expect((status.json["locks"] as? [Any])?.count == 1)
    }

    @Test func normalisationInsideBracesAndEntriesThatCoverNothing() async throws {
        let cli = try await Self.repository()
        let braces = try await cli.run(["acquire", "a", "{backend/,frontend/}/x.go", "--json"], in: "repo")
        #expect(braces.status == 0, "\(braces.stdout)")
        #expect((braces.json["lock"] as? [String: Any])?["files"] as? [String] == ["{backend/x.go,frontend/x.go}"])
        let meets = try await cli.run(["acquire", "b", "x.go", "--json"], in: "repo/frontend")
        #expect(meets.status == 1 && meets.errorCode == "conflict")
        for entry in ["{}", "src/{}/x.go", "{../x.go,y.go}"] {
            let refused = try await cli.run(["acquire", "c", entry, "--json"], in: "repo")
            #expect(refused.status == 2 && refused.errorCode == "invalid_input", "\(entry): \(refused.stdout)")
        }
        let overlap = try await cli.run(["overlap", "{src/,lib/}/x.go", "lib/x.go", "--json"], in: "repo")
        #expect(overlap.json["overlap"] as? Bool == true)
        // Braces whose expansions are already normal keep their text: `/` inside braces separates segments.
        let kept = try await cli.run(["acquire", "d", "docs/{a/,b/}x.md", "--json"], in: "repo")
        #expect((kept.json["lock"] as? [String: Any])?["files"] as? [String] == ["docs/{a/,b/}x.md"])
    }

    @Test func aConflictsWitnessNamesAnExistingFile() async throws {
        let cli = try await Self.repository()
        try await cli.run(["acquire", "dev", "backend/"], in: "repo")
        let tester = try await cli.run(["acquire", "tester", "backend/**/*_test.go", "--json"], in: "repo")
        let witness = (Self.error(tester)["conflicts"] as? [[String: Any]])?.first?["witness"] as? String
        #expect(witness == "backend/pkg/integrations/qualys/client_test.go")
        let check = try await cli.run(["check", "tester", "**/*.go", "--json"], in: "repo")
        #expect((Self.error(check)["conflicts"] as? [[String: Any]])?.first?["witness"] as? String == "backend/pkg/integrations/qualys/client.go")
        #expect((Self.error(check)["message"] as? String)?.hasSuffix("both cover backend/pkg/integrations/qualys/client.go") == true)
        // With no file under both, the shortest synthetic path stays.
        let synthetic = try await cli.run(["acquire", "t2", "backend/new/*.rs", "--json"], in: "repo")
        #expect((Self.error(synthetic)["conflicts"] as? [[String: Any]])?.first?["witness"] as? String == "backend/new/.rs")
    }

    @Test func initWritesTheSettingsAndGitNeverSeesTheLockFolder() async throws {
        let cli = try await Self.repository()
        let initialised = try await cli.run(["init", "--json"], in: "repo/backend")
        #expect(initialised.status == 0, "\(initialised.stdout)")
        #expect(initialised.json["configuration"] as? String == cli.directory + "/repo/.scopelock.yaml")
        #expect(initialised.json["created"] as? Bool == true)
        #expect(initialised.json["gitignore"] == nil)
        let text = String(decoding: cli.read("repo/.scopelock.yaml") ?? Data(), as: UTF8.self)
        #expect(text.contains("# output_directory:") && text.contains("# store: file") && text.contains("version: 1"))
        try await cli.bash("cd repo && git add .scopelock.yaml && git commit -q -m settings")
        try await cli.run(["acquire", "dev", "pkg/"], in: "repo/backend")
        #expect(try await Self.porcelain(cli, "repo").isEmpty)
        let again = try await cli.run(["init", "--json"], in: "repo")
        #expect(again.json["created"] as? Bool == false)

        // An output directory inside the working tree gets a .gitignore of its own.
        try cli.write("repo/.scopelock.yaml", "output_directory: .locks\n")
        try await cli.bash("cd repo && git commit -q -am 'locks in the tree'")
        let inTree = try await cli.run(["init", "--json"], in: "repo")
        #expect(inTree.json["gitignore"] as? String == cli.directory + "/repo/.locks/.gitignore")
        try await cli.run(["acquire", "dev", "../backend/"], in: "repo/frontend")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/repo/.locks/locks/dev.lock"))
        #expect(try await Self.porcelain(cli, "repo").isEmpty)

        var session = SchemaSession(cli: cli)
        for result in [initialised, again, inTree] { session.keep(result, schema: "init") }
        try await session.validate()
    }

    @Test func applysOutputDirectoryIsSeenFromAnyFolder() async throws {
        let cli = try await Self.repository()
        try cli.write("repo/workflows/qualys/MANIFEST.yaml", """
        version: 1
        workflow: qualys
        agents:
          - name: integration-developer
            directories: [backend/pkg/integrations/qualys/]
          - name: frontend-dev
            directories: [frontend/]
        """)
        let human = try await cli.run(["apply", "workflows/qualys/MANIFEST.yaml"], in: "repo")
        #expect(human.status == 0, "\(human.stderr)")
        let folder = cli.directory + "/repo/workflows/qualys"
        #expect(human.stdout.contains("export SCOPELOCK_OUTPUT_DIR=\(folder)\n"), "\(human.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder + "/locks/integration-developer.lock"))

        // Its locks are the workflow's own: the repository's lock space does not hold them.
        let plain = try await cli.run(["status", "--json"], in: "repo")
        #expect((plain.json["locks"] as? [Any])?.isEmpty == true)
        #expect(plain.json["lock_folder"] as? String == cli.directory + "/repo/.git/scopelock/locks")

        // An agent handed the exported directory sees them from any folder.
        let environment = ["SCOPELOCK_OUTPUT_DIR": folder]
        for place in ["repo", "repo/backend/pkg", "repo/frontend"] {
            let status = try await cli.run(["status", "--json"], in: place, environment: environment)
            #expect((status.json["locks"] as? [[String: Any]])?.count == 2, "\(place)")
            #expect(status.json["lock_folder"] as? String == folder + "/locks")
        }
        let tester = try await cli.run(["acquire", "tester", "pkg/integrations/qualys/client_test.go", "--json"], in: "repo/backend",
                                       environment: environment)
        #expect(tester.status == 1 && tester.errorCode == "conflict")

        let renewed = try await cli.run(["apply", cli.directory + "/repo/workflows/qualys/MANIFEST.yaml", "--json"], in: "repo/frontend")
        #expect(renewed.json["output_directory"] as? String == folder, "\(renewed.stdout)")
    }

    @Test func theClaudeCodeHookMeetsTheCommandLineInTheSameLockSpace() async throws {
        let cli = try await Self.repository()
        let added = try await cli.bash("cd repo && git worktree add -q -b feature ../feature")
        #expect(added.status == 0, "\(added.stderr)")
        try await cli.run(["acquire", "integration-dev", "pkg/integrations/qualys/"], in: "repo/backend")
        let fixture = try String(contentsOfFile: ClaudeCodeHookTests.fixtures + "/pre-edit.json", encoding: .utf8)
        // A session in the other worktree, started in its frontend/ folder, editing the locked file there.
        let input = fixture
            .replacingOccurrences(of: "\"cwd\": \"/home/dev/repo\"", with: "\"cwd\": \"\(cli.directory)/feature/frontend\"")
            .replacingOccurrences(of: "/home/dev/repo", with: cli.directory + "/feature")
        let denied = try await cli.run(["hook", "claude-code"], environment: [:], input: input)
        #expect(denied.status == 2, "\(denied.stderr)")
        #expect(denied.stderr.contains("integration-dev"), "\(denied.stderr)")
        #expect(try await Self.porcelain(cli, "feature").isEmpty)
    }

    @Test func aBadSettingsFileIsInvalidInputNamingFileLineAndColumnAndCreatesNothing() async throws {
        let cli = try await Self.repository()
        let cases = [
            ("output_directory: [oops\n", "invalid_input"),
            ("version: 1\nlocks_here: x\n", "invalid_input"),
            ("output_directory: ../../../../../../../../../../../../../../../../../../../../../../../../../../../x\n", "invalid_input"),
        ]
        for (text, code) in cases {
            try cli.write("repo/.scopelock.yaml", text)
            for arguments in [["acquire", "dev", "backend/"], ["status"], ["where"], ["init"]] {
                let result = try await cli.run(arguments + ["--json"], in: "repo/backend")
                #expect(result.status == 2 && result.errorCode == code, "\(text) \(arguments): \(result.stdout)")
                let error = Self.error(result)
                #expect(error["file"] as? String == cli.directory + "/repo/.scopelock.yaml")
                #expect(error["line"] is Int && error["column"] is Int, "\(result.stdout)")
                #expect((error["message"] as? String)?.contains(".scopelock.yaml:") == true)
            }
            #expect(!FileManager.default.fileExists(atPath: cli.directory + "/repo/.git/scopelock"))
        }
        #expect(try await Self.porcelain(cli, "repo") == "?? .scopelock.yaml\n")

        // A root that cannot be read is an environment failure (a link loop: permissions do not stop the superuser).
        try await cli.bash("ln -s loop loop")
        let unreadable = try await cli.run(["status", "--root", cli.directory + "/loop", "--json"], in: "repo")
        #expect(unreadable.status == 3 && unreadable.errorCode == "io_error", "\(unreadable.stdout)")
        let missing = try await cli.run(["status", "--root", cli.directory + "/missing", "--json"], in: "repo")
        #expect(missing.status == 2 && missing.errorCode == "invalid_input")
    }
}
