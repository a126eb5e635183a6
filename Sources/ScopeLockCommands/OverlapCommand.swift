import ArgumentParser
import ScopeLockCore

struct OverlapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlap",
        abstract: "Decide exactly whether two entries overlap, with a path both cover.",
        discussion: """
        Exits 0 either way; the answer is in the output.

        Example:
          scopelock overlap 'src/a*.py' 'src/*b.py'      # overlap: src/ab.py
          scopelock overlap 'file[0-4].txt' 'file[5-9].txt' --json
          scopelock overlap qualys/ 'qualys/*_test.go' --exclude-left 'qualys/*_test.go'   # no overlap
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The first entry.") var left: String
    @Argument(help: "The second entry.") var right: String
    @Option(name: .customLong("exclude-left"), help: "An entry the left scope does not cover (repeatable).") var excludesLeft: [String] = []
    @Option(name: .customLong("exclude-right"), help: "An entry the right scope does not cover (repeatable).") var excludesRight: [String] = []

    func run() throws {
        let outcome = global.workspace().overlap(OverlapRequest(
            left: left, right: right,
            excludesLeft: excludesLeft.isEmpty ? nil : excludesLeft, excludesRight: excludesRight.isEmpty ? nil : excludesRight
        ))
        try Output.finish(outcome, json: global.json) { result in
            result.witness.map { "overlap: \(ControlCharacters.escaped($0))" } ?? "no overlap"
        }
    }
}
