import ArgumentParser
import ScopeLockCore

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete expired lock records, each reported. Invalid records are left for a person.",
        discussion: """
        Example:
          scopelock prune --dry-run
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Report what would be deleted, deleting nothing.") var dryRun = false

    func run() throws {
        let outcome = global.workspace().prune(PruneRequest(dryRun: dryRun ? true : nil))
        try Output.finish(outcome, json: global.json) { result in
            guard !result.pruned.isEmpty else { return "nothing expired" }
            let verb = result.dryRun ? "would prune" : "pruned"
            return result.pruned.map { "\(verb) \($0.agent) (expired \(Timestamp.format($0.expiresAt)))" }.joined(separator: "\n")
        }
    }
}
