import Foundation
import Testing

/// `scopelock install`: merged into files that hold other settings, twice, then taken back.
@Suite(.timeLimit(.minutes(5))) struct InstallTests {
    static let settings = """
    {
      "permissions": {
        "allow": [
          "Bash(go test:*)"
        ],
        "deny": []
      },
      "hooks": {
        "PreToolUse": [
          {
            "matcher": "Bash",
            "hooks": [
              {
                "type": "command",
                "command": "./lint.sh",
                "timeout": 30
              }
            ]
          }
        ],
        "PostToolUse": [
          {
            "matcher": "Edit",
            "hooks": [
              {
                "type": "command",
                "command": "gofmt -w"
              }
            ]
          }
        ]
      },
      "env": {
        "BIG": 12345678901234567890,
        "RATIO": 1.50
      },
      "model": "opus"
    }

    """
    static let mcp = """
    {
      "mcpServers": {
        "other": {
          "command": "other-server",
          "args": []
        }
      }
    }

    """

    static func object(_ cli: CLI, _ path: String) -> [String: Any]? {
        cli.read(path).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    @Test func claudeCodeMergesTwiceThenUninstalls() async throws {
        let cli = try CLI()
        try cli.write(".claude/settings.json", Self.settings)
        try cli.write(".mcp.json", Self.mcp)

        let first = try await cli.run(["install", "claude-code", "--claim", "--json"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect((first.json["files"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["update", "update"], "\(first.stdout)")
        let installed = try #require(cli.read(".claude/settings.json"))
        let second = try await cli.run(["install", "claude-code", "--claim", "--json"])
        #expect((second.json["files"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["unchanged", "unchanged"], "\(second.stdout)")
        #expect(cli.read(".claude/settings.json") == installed, "the second run changed the file")

        let merged = try #require(Self.object(cli, ".claude/settings.json"))
        let hooks = try #require(merged["hooks"] as? [String: Any])
        let pre = try #require(hooks["PreToolUse"] as? [[String: Any]])
        #expect(pre.count == 2 && pre[0]["matcher"] as? String == "Bash", "the other PreToolUse hook moved: \(pre)")
        #expect(pre[1]["matcher"] as? String == "Edit|Write|MultiEdit|NotebookEdit")
        let command = ((pre[1]["hooks"] as? [[String: Any]])?.first?["command"] as? String)
        #expect(command == "scopelock hook claude-code --claim")
        #expect(((hooks["SessionEnd"] as? [[String: Any]])?.first?["hooks"] as? [[String: Any]])?.first?["command"] as? String == command)
        #expect(hooks["PostToolUse"] != nil && merged["model"] as? String == "opus")
        let text = String(decoding: installed, as: UTF8.self)
        #expect(text.contains("12345678901234567890") && text.contains("1.50"), "numbers were rewritten: \(text)")
        #expect(text.hasPrefix("{\n  \"permissions\""), "members were reordered: \(text)")
        let servers = try #require(Self.object(cli, ".mcp.json")?["mcpServers"] as? [String: Any])
        #expect(servers["other"] != nil)
        #expect(JSON.text(servers["scopelock"] ?? "absent") == JSON.text(["command": "scopelock", "args": ["mcp"]]))

        let removed = try await cli.run(["install", "claude-code", "--uninstall", "--json"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect((removed.json["files"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["update", "update"], "\(removed.stdout)")
        let validated = try await SchemaFiles.validate([first.stdout, second.stdout, removed.stdout], against: "install-result.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        #expect(String(decoding: cli.read(".claude/settings.json") ?? Data(), as: UTF8.self) == Self.settings)
        #expect(String(decoding: cli.read(".mcp.json") ?? Data(), as: UTF8.self) == Self.mcp)
    }

    @Test func claudeCodeIntoAFolderWithoutSettingsAndBack() async throws {
        let cli = try CLI()
        let dry = try await cli.run(["install", "claude-code", "--agent", "dev", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("would create: \(cli.directory)/.claude/settings.json"), "\(dry.stdout)")
        #expect(dry.stdout.contains("scopelock hook claude-code --agent dev"))
        #expect(cli.tree().isEmpty, "--dry-run wrote \(cli.tree())")
        #expect(try await cli.run(["install", "claude-code", "--agent", "dev"]).status == 0)
        #expect(Set(cli.tree()) == [".claude", ".claude/settings.json", ".mcp.json"])
        #expect(try await cli.run(["install", "claude-code", "--uninstall"]).status == 0)
        #expect(String(decoding: cli.read(".claude/settings.json") ?? Data(), as: UTF8.self) == "{}\n")
        #expect(cli.read(".mcp.json") == nil)
    }

    @Test func aSettingsFileThatIsNotJSONIsRefusedAndLeftAlone() async throws {
        let cli = try CLI()
        let broken = "{\n  \"model\": \"opus\",\n  \"hooks\": {,\n}\n"
        try cli.write(".claude/settings.json", broken)
        try cli.write(".mcp.json", Self.mcp)
        let result = try await cli.run(["install", "claude-code", "--json"])
        #expect(result.status == 2)
        #expect(result.errorCode == "invalid_input")
        let message = (result.json["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains(".claude/settings.json:3:"), "no line: \(message)")
        #expect(String(decoding: cli.read(".claude/settings.json") ?? Data(), as: UTF8.self) == broken)
        let validated = try await SchemaFiles.validate([result.stdout], against: "install-result.schema.json", in: cli)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        #expect(String(decoding: cli.read(".mcp.json") ?? Data(), as: UTF8.self) == Self.mcp)
    }

    @Test func aReadOnlyClaudeFolderIsAClearErrorAndNothingIsLost() async throws {
        let cli = try CLI()
        try cli.write(".mcp.json", Self.mcp)
        if getuid() == 0 {
            // Permissions do not stop root: a folder on a read-only file system does.
            try FileManager.default.createSymbolicLink(atPath: cli.directory + "/.claude", withDestinationPath: "/proc/self")
        } else {
            try cli.write(".claude/settings.json", Self.settings)
            chmod(cli.directory + "/.claude", 0o555)
        }
        defer { chmod(cli.directory + "/.claude", 0o755) }
        let result = try await cli.run(["install", "claude-code"])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains(".claude") && result.stderr.contains("nothing was changed"), "\(result.stderr)")
        #expect(String(decoding: cli.read(".mcp.json") ?? Data(), as: UTF8.self) == Self.mcp)
        if getuid() != 0 { #expect(String(decoding: cli.read(".claude/settings.json") ?? Data(), as: UTF8.self) == Self.settings) }
    }

    @Test func mcpEntriesForCursorAndCodex() async throws {
        let cli = try CLI()
        try cli.write(".cursor/mcp.json", Self.mcp)
        let toml = "model = \"o4\"\n\n[mcp_servers.other]\ncommand = \"other\"\n\n[profiles.fast]\nmodel = \"mini\"\n"
        try cli.write("codex/config.toml", toml)
        for _ in 0..<2 {
            #expect(try await cli.run(["install", "mcp", "--client", "cursor", "--agent", "dev"]).status == 0)
            #expect(try await cli.run(["install", "mcp", "--client", "codex"], environment: ["CODEX_HOME": cli.directory + "/codex"]).status == 0)
        }
        let cursor = try #require(Self.object(cli, ".cursor/mcp.json")?["mcpServers"] as? [String: Any])
        #expect(cursor["other"] != nil)
        #expect(JSON.text(cursor["scopelock"] ?? "absent") == JSON.text(["command": "scopelock", "args": ["mcp", "--agent", "dev"]]))
        let codex = String(decoding: cli.read("codex/config.toml") ?? Data(), as: UTF8.self)
        #expect(codex == toml + "\n[mcp_servers.scopelock]\ncommand = \"scopelock\"\nargs = [\"mcp\"]\n", "\(codex)")
        #expect(try await cli.run(["install", "mcp", "--client", "cursor", "--uninstall"]).status == 0)
        #expect(try await cli.run(["install", "mcp", "--client", "codex", "--uninstall", "--config", "codex/config.toml"]).status == 0)
        #expect(String(decoding: cli.read(".cursor/mcp.json") ?? Data(), as: UTF8.self) == Self.mcp)
        #expect(String(decoding: cli.read("codex/config.toml") ?? Data(), as: UTF8.self) == toml)
        let unknown = try await cli.run(["install", "mcp", "--client", "vim"])
        #expect(unknown.status == 2)
    }

    @Test func gitHooksGuardCommitsAndChainTheHookBefore() async throws {
        let cli = try CLI()
        let setup = try await cli.bash("""
            git init -q . && git config user.email t@example.com && git config user.name t
            printf '#!/bin/sh\\necho chained >> chained.log\\n' > .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
            """)
        #expect(setup.status == 0, "\(setup.stderr)")
        let original = cli.read(".git/hooks/pre-commit")
        #expect(try await cli.run(["install", "git"]).status == 0)
        let again = try await cli.run(["install", "git", "--json"])
        #expect((again.json["files"] as? [[String: Any]])?.allSatisfy { $0["action"] as? String == "unchanged" } == true, "\(again.stdout)")
        #expect(cli.read(".git/hooks/pre-commit.scopelock-chained") == original)

        try await cli.run(["acquire", "dev", "src/"])
        let blocked = try await cli.bash("""
            mkdir -p src docs && echo a > src/a.go && echo b > docs/b.md && git add src docs
            SCOPELOCK_AGENT=dev PATH="$(dirname "$SCOPELOCK"):$PATH" git commit -q -m outside; echo "status $?"
            """)
        #expect(blocked.stdout.contains("status 1"), "\(blocked.stdout)\(blocked.stderr)")
        #expect(blocked.stderr.contains("docs/b.md"), "\(blocked.stderr)")
        #expect(String(decoding: cli.read("chained.log") ?? Data(), as: UTF8.self) == "chained\n", "the hook before did not run")
        let allowed = try await cli.bash("""
            git reset -q docs && SCOPELOCK_AGENT=dev PATH="$(dirname "$SCOPELOCK"):$PATH" git commit -q -m inside; echo "status $?"
            """)
        #expect(allowed.stdout.contains("status 0"), "\(allowed.stdout)\(allowed.stderr)")

        #expect(try await cli.run(["install", "git", "--uninstall"]).status == 0)
        #expect(cli.read(".git/hooks/pre-commit") == original)
        #expect(cli.read(".git/hooks/pre-commit.scopelock-chained") == nil && cli.read(".git/hooks/pre-push") == nil)
    }
}
