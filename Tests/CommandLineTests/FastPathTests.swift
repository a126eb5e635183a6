import ArgumentParser
import ScopeLockCommands
import ScopeLockLauncher
import Testing

/// The fast path and ArgumentParser read argument lists into identical command structs, and the fast path leaves
/// everything it is not sure about to ArgumentParser.
struct FastPathTests {
    /// Argument lists the fast path must read itself: one per hot command with no options (so that a command that
    /// gained a property is noticed here), then options in every form ArgumentParser accepts and the fast path knows.
    static let read: [[String]] = [
        ["acquire", "dev"],
        ["acquire", "dev", "src/app/"],
        ["acquire", "dev", "src/a.go", "lib/", "src/**/*_test.go", "--task", "build it", "--ttl", "15m", "--shared",
         "--wait", "5s", "--json", "-o", "out", "--root", "/r"],
        ["acquire", "--json", "dev", "--task=x y", "src/", "--output-dir=out", "--root=r", "--store", "file"],
        ["acquire", "dev", "--task", "a=b", "src/"],
        ["acquire", "dev", "src/", "--exclude", "src/gen/", "--exclude=src/**/*_test.go"],
        ["release", "dev"],
        ["release", "dev", "--token", "7", "--force", "--json", "-o", "out"],
        ["release", "--token=7", "dev"],
        ["release", "dev", "src/a.go", "docs/"],
        ["acquire", "dev", "src/", "--add", "--pid", "4242"],
        ["renew", "dev"],
        ["renew", "dev", "--ttl", "30m", "--token", "3", "--root", "r"],
        ["check", "dev"],
        ["check", "dev", "a", "b/", "--shared", "--json"],
        ["check", "dev", "src/", "--exclude", "src/a.go", "--exclude", "src/b/"],
        ["owner"],
        ["owner", "a", "b/c", "--json", "-o", "out"],
        ["status"],
        ["status", "dev", "--json"],
        ["status", "--watch", "--json"],
        ["guard", "dev"],
        ["guard", "dev", "--staged", "--json"],
        ["guard", "dev", "--since", "main", "a", "b"],
        ["hook", "claude-code"],
        ["hook", "claude-code", "--agent", "dev", "--claim", "--release-on-stop", "--input-timeout", "2.5"],
    ]

    /// Argument lists the fast path must hand to ArgumentParser.
    static let declined: [[String]] = [
        [], ["--help"], ["--version"], ["-h"], ["help", "acquire"], ["plan", "MANIFEST.yaml"], ["serve"],
        ["acquire"], ["acquire", "--help"], ["acquire", "dev", "-h"], ["acquire", "dev", "--unknown"],
        ["acquire", "dev", "--", "-x"], ["acquire", "dev", "--task"], ["acquire", "dev", "--task", "a", "--task", "b"],
        ["acquire", "dev", "--json", "--json"], ["acquire", "dev", "--json=true"], ["acquire", "dev", ""],
        ["acquire", "dev", "--task", ""], ["acquire", "dev", "--task", "-x"], ["acquire", "dev", "-ofoo"],
        ["acquire", "dev", "-o=out"], ["acquire", "dev", "src/", "--exclude"], ["acquire", "dev", "src/", "--exclude", ""], ["acquire", "dev", "-j"], ["acquire", "dev", "--store", "nonsense://x"],
        ["acquire", "dev", "--pid", "x"], ["acquire", "dev", "--add", "--add"], ["release", "dev", "--token", "seven"], ["release", "dev", "--token", "-1"],
        ["renew"], ["status", "a", "b"], ["check"], ["guard"], ["hook"], ["hook", "claude-code", "x"],
        ["hook", "claude-code", "--input-timeout", "soon"], ["hook", "other-tool"],
        ["--generate-completion-script", "bash"], ["---completion", "acquire", "--", "x"], ["--experimental-dump-help"],
    ]

    @Test(arguments: read)
    func fastPathReadsAsArgumentParserDoes(arguments: [String]) throws {
        let fast = try #require(
            FastPath.command(arguments),
            "the fast path declined \(arguments): if the command gained or lost an option, teach FastPath.command about it and update its layout sizes (now: \(FastPath.layouts))"
        )
        let parsed = try ScopeLockCommand.parseAsRoot(arguments)
        #expect(Self.describe(fast.parsed) == Self.describe(parsed))
    }

    @Test(arguments: declined)
    func fastPathLeavesTheRestToArgumentParser(arguments: [String]) {
        #expect(FastPath.command(arguments) == nil)
    }

    @Test func strategyNamesAreReadFromTheProgramName() {
        #expect(Launcher.strategyName(invokedAs: "/usr/bin/scopelock-strategy-split") == "split")
        #expect(Launcher.strategyName(invokedAs: "scopelock-strategy-merge") == "merge")
        #expect(Launcher.strategyName(invokedAs: "/usr/bin/scopelock") == nil)
        #expect(Launcher.strategyName(invokedAs: "/opt/scopelock-strategy-x/scopelock") == nil)
        #expect(Launcher.strategyName(invokedAs: "scopelock-mcp") == nil)
    }

    /// Everything `dump` shows of a value: the type and every stored property, the property wrappers' states included.
    static func describe(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
