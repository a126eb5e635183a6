import ArgumentParser
import ScopeLockCore

struct OwnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner",
        abstract: "Show which active locks cover each path.",
        discussion: """
        Example:
          scopelock owner backend/pkg/integrations/qualys/client.go
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Paths (or entries) to look up.") var paths: [String] = []

    func run() throws {
        let outcome = global.workspace().owner(OwnerRequest(paths: paths))
        try Output.finish(outcome, json: global.json) { result in
            result.paths.map { path in
                path.owners.isEmpty
                    ? "\(ControlCharacters.escaped(path.path)): free"
                    : "\(ControlCharacters.escaped(path.path)): "
                        + path.owners.map { "\($0.agent) (\(ControlCharacters.escaped($0.entry)))" }.joined(separator: ", ")
            }.joined(separator: "\n")
        }
    }
}
