import ScopeLockPluginKit
import ScopeLockProtocol

/// `split`: a contested directory is divided along the repository tree between its holder and the other claimants.
///
/// For each directory entry `d/` of an agent that does not hold its lock, the foreign entries are the other agents'
/// entries that overlap `d/`, except directories that contain or equal `d/` (those are divided from their own side,
/// or cannot be divided). `d/` is replaced by the parts of it those entries leave free, taken from `tree`: whole
/// sub-directories (`d/sub/`) and exact files; a file a foreign entry covers stays with that entry's agent. Every
/// tree file `d/` covered is still covered, by a piece or by the foreign entry. A directory is kept whole when
/// dividing would leave its holder nothing. Exact files, globs and held agents' scopes are never divided; what
/// still overlaps (the same file claimed by both, globs, equal directories) is sequenced as by `sequential`.
public struct SplitStrategy: BuiltInStrategy {
    /// The strategy; it has no settings of its own (options come with each request).
    public init() {}

    /// What `describe` answers: name, version and the rule in one line.
    public var description: StrategyDescription {
        StrategyDescription(
            name: "split", version: BuiltInStrategies.version,
            description: "Divides contested directories along the repository tree; sequences what cannot be divided."
        )
    }

    func plan(_ input: StrategyInput) throws(StrategyDecline) -> ResolveAnswer {
        let divider = TreeDivider(tree: input.tree)
        var agents = input.unchangedAgents
        var actions: [PlanAction] = []
        var changed = Set<Int>()

        for holder in input.agents.indices where !input.agents[holder].held {
            var directories: [ParsedEntry] = []
            var addedFiles: [ParsedEntry] = []
            for directory in input.scopes[holder].directories {
                guard let division = divide(directory, of: holder, input: input, divider: divider) else {
                    directories.append(directory)
                    continue
                }
                directories += division.pieces.filter { $0.kind == .directory }
                addedFiles += division.pieces.filter { $0.kind != .directory }
                changed.insert(holder)
                actions.append(PlanAction(
                    kind: .split,
                    agents: [input.names[holder]] + division.claimants.map { input.names[$0] },
                    entries: [directory.text] + division.pieces.map(\.text),
                    reason: splitReason(directory, holder: input.names[holder], division: division, names: input.names)
                ))
            }
            var divided = ParsedScope(files: unique(input.scopes[holder].files + addedFiles), directories: unique(directories))
            divided.excludes = input.scopes[holder].excludes
            divided.excludeTexts = input.scopes[holder].excludeTexts
            agents[holder].scope = divided
        }

        let conflicts = input.reportedConflicts.narrowed(changed, scopes: agents.map(\.scope))
        return try PlanAssembler(options: input.options).answer(for: agents, conflicts: conflicts, actions: actions)
    }

    /// A directory's replacement pieces and the agents whose entries shaped them.
    private struct Division {
        let pieces: [ParsedEntry]
        let claimants: [Int]
    }

    /// How `directory` of agent `holder` divides, or nil when it stays whole. Only the agents `holder` conflicts
    /// with can have entries that overlap it.
    private func divide(_ directory: ParsedEntry, of holder: Int, input: StrategyInput, divider: TreeDivider) -> Division? {
        guard directory.kind == .directory, let literal = PathEscaping.literal(directory.text) else { return nil }
        let path = literal.hasSuffix("/") ? literal : literal + "/"
        var foreign: [ParsedEntry] = []
        var claimants: [Int] = []
        for other in input.conflictingAgents[holder] {
            let touching = input.scopes[other].entries.filter { entry in
                entry.witness(with: directory) != nil && !entry.containsDirectory(path)
            }
            if !touching.isEmpty {
                foreign += touching
                claimants.append(other)
            }
        }
        guard !foreign.isEmpty, let pieces = divider.pieces(of: path, avoiding: foreign), !pieces.isEmpty else { return nil }
        var parsed: [ParsedEntry] = []
        for piece in pieces {
            guard let entry = try? ParsedEntry(piece.text, directory: piece.isDirectory) else { return nil }
            parsed.append(entry)
        }
        guard parsed.map(\.text) != [directory.text] else { return nil }
        // Nothing the directory covered in the tree may be lost: each file needs a piece or a foreign entry.
        let lost = divider.files(under: path).contains { file in
            directory.matches(file) && !parsed.contains { $0.matches(file) } && !foreign.contains { $0.matches(file) }
        }
        guard !lost else { return nil }
        return Division(pieces: parsed, claimants: claimants)
    }

    /// Who keeps what after `directory` of `holder` is divided.
    private func splitReason(_ directory: ParsedEntry, holder: String, division: Division, names: [String]) -> String {
        let claimants = division.claimants.map { names[$0] }
        let pieces = division.pieces.count == 1 ? "1 piece" : "\(division.pieces.count) pieces"
        let keepers = claimants.count == 1 ? claimants[0] : "them"
        return "\(directory.text) of \(holder) is divided along the repository tree: \(holder) keeps \(pieces); "
            + "the parts claimed by \(claimants.joined(separator: ", ")) stay with \(keepers)"
    }

    /// `entries` with each text once, first occurrence kept.
    private func unique(_ entries: [ParsedEntry]) -> [ParsedEntry] {
        var seen = Set<String>()
        return entries.filter { seen.insert($0.text).inserted }
    }
}
