import ArgumentParser
import ScopeLockCore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write .scopelock.yaml at the root and keep the lock folder out of git.",
        discussion: """
        The file marks the root and spells out every default in comments. An existing file is left as it is. \
        When the output directory lies inside the working tree, a .gitignore holding * is written in it.

        Example:
          scopelock init
          scopelock init --json
        """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let outcome = global.workspace().`init`()
        try Output.finish(outcome, json: global.json) { result in
            var lines = [(result.created ? "wrote " : "kept the existing ") + result.configuration]
            lines.append("locks live in \(result.outputDirectory)/locks")
            if let gitignore = result.gitignore { lines.append("git ignores the lock folder (\(gitignore))") }
            return lines.joined(separator: "\n")
        }
    }
}
