import Foundation
import ScopeLockProtocol
import Yams

/// Walks a manifest's YAML node tree, checking every key and value and remembering where each came from.
struct ManifestReader {
    let path: String
    let folder: String
    let explicitRoot: String?
    /// The workspace's root, used when neither `explicitRoot` nor the manifest's `root` is given.
    var defaultRoot: String? = nil
    /// Warnings raised while reading entries (`resolved_symlink`).
    let warnings = WarningLog()

    func fail(_ node: Node?, _ message: String) -> ErrorInfo {
        var error = ErrorInfo(.invalidInput, "\(path)\(node?.mark.map { ":\($0.line):\($0.column)" } ?? ""): \(message)", file: path)
        error.line = node?.mark?.line
        error.column = node?.mark?.column
        return error
    }

    /// The pairs of a mapping, refusing keys outside `allowed` and duplicates.
    func fields(_ node: Node, _ what: String, allowed: [String]) throws(ErrorInfo) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw fail(node, "\(what) must be a mapping") }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw fail(keyNode, "keys of \(what) must be strings") }
            guard allowed.contains(key) else {
                throw fail(keyNode, "unknown key \(key.debugDescription) in \(what) (known: \(allowed.joined(separator: ", ")))")
            }
            guard result[key] == nil else { throw fail(keyNode, "duplicate key \(key.debugDescription) in \(what)") }
            result[key] = value
        }
        return result
    }

    func string(_ node: Node, _ what: String) throws(ErrorInfo) -> String {
        guard case .scalar(let scalar) = node, !node.isTagged(.null) else { throw fail(node, "\(what) must be a string") }
        return scalar.string
    }

    func strings(_ node: Node, _ what: String) throws(ErrorInfo) -> [(String, Node)] {
        guard case .sequence(let sequence) = node else { throw fail(node, "\(what) must be a list of strings") }
        var result: [(String, Node)] = []
        for item in sequence { result.append((try string(item, "each of \(what)"), item)) }
        return result
    }

    func manifest(_ root: Node) throws(ErrorInfo) -> Manifest {
        let top = try fields(root, "the manifest", allowed: ["version", "workflow", "output_directory", "root", "ttl", "strategy", "agents"])
        var version = 1
        if let node = top["version"] {
            guard let value = node.int, node.isTagged(.int) else { throw fail(node, "version must be an integer") }
            guard value == 1 else { throw fail(node, "manifest version \(value) is not supported (this scopelock reads version 1)") }
            version = value
        }
        guard let workflowNode = top["workflow"] else { throw fail(root, "missing required key \"workflow\"") }
        let workflow = try string(workflowNode, "workflow")
        guard !workflow.isEmpty else { throw fail(workflowNode, "workflow must not be empty") }
        var ttl: String?
        if let node = top["ttl"] {
            let text = node.isTagged(.int) ? (node.scalar?.string ?? "") : try string(node, "ttl")
            if case .failure(let problem) = DurationText.parse(text) {
                throw fail(node, problem == .tooLong
                    ? "ttl \(text.debugDescription) is longer than the limit of 365 days"
                    : "ttl \(text.debugDescription) is not a duration (90s, 15m, 1h, 1h30m or seconds)")
            }
            ttl = text
        }
        let output = try top["output_directory"].map { node throws(ErrorInfo) in resolve(try string(node, "output_directory")) } ?? folder
        let rootFolder = try top["root"].map { node throws(ErrorInfo) in resolve(try string(node, "root")) }
        let strategy = try top["strategy"].map { node throws(ErrorInfo) in try strategyChoice(node) } ?? .named("sequential", options: [:])
        guard let agentsNode = top["agents"] else { throw fail(root, "missing required key \"agents\"") }
        guard case .sequence(let agentNodes) = agentsNode else { throw fail(agentsNode, "agents must be a list") }
        guard agentNodes.count <= ManifestLoader.maximumAgents else {
            throw fail(agentsNode, "\(agentNodes.count) agents is more than the \(ManifestLoader.maximumAgents) a manifest may declare")
        }
        let entryNormalizer = EntryNormalizer(root: explicitRoot ?? rootFolder ?? defaultRoot ?? FileManager.default.currentDirectoryPath)
        var agents: [ManifestAgent] = []
        var seen: [String: Node] = [:]
        var dependencyNodes: [String: [(String, Node)]] = [:]
        for node in agentNodes {
            let (agent, dependencies) = try self.agent(node, normalizer: entryNormalizer)
            if let first = seen[agent.name] {
                throw fail(node, "duplicate agent name \(agent.name.debugDescription) (first declared at line \(first.mark?.line ?? 0))")
            }
            seen[agent.name] = node
            dependencyNodes[agent.name] = dependencies
            agents.append(agent)
        }
        for agent in agents {
            for (target, node) in dependencyNodes[agent.name] ?? [] where seen[target] == nil {
                throw fail(node, "\(agent.name) depends on \(target.debugDescription), which is not an agent of this manifest")
            }
        }
        if let cycle = DependencyCycle.find(in: agents) {
            throw fail(seen[cycle[0]], "dependency cycle: \(cycle.joined(separator: " -> "))")
        }
        var manifest = Manifest(
            path: path, folder: folder, version: version, workflow: workflow, outputDirectory: output, root: rootFolder,
            ttl: ttl, strategy: strategy, agents: agents
        )
        manifest.warnings = warnings.entries
        return manifest
    }

    private func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: folder).appendingPathComponent(relative).standardizedFileURL.path
    }

    private func agent(_ node: Node, normalizer: EntryNormalizer) throws(ErrorInfo) -> (ManifestAgent, [(String, Node)]) {
        let map = try fields(node, "an agent", allowed: ["name", "task", "files", "directories", "excludes", "depends_on", "access"])
        guard let nameNode = map["name"] else { throw fail(node, "an agent is missing its \"name\"") }
        let name = try string(nameNode, "name")
        do { try AgentName.validate(name) } catch { throw fail(nameNode, error.message) }
        var access = ManifestAgent.Access.write
        if let accessNode = map["access"] {
            guard let value = ManifestAgent.Access(rawValue: try string(accessNode, "access")) else {
                throw fail(accessNode, "access must be \"write\" or \"read\"")
            }
            access = value
        }
        var files: [ScopeEntry] = []
        var directories: [ScopeEntry] = []
        for (text, item) in try map["files"].map({ node throws(ErrorInfo) in try strings(node, "files") }) ?? [] {
            let entry = try normalize(text, item, normalizer)
            if entry.kind == .directory { directories.append(entry) } else { files.append(entry) }
        }
        for (text, item) in try map["directories"].map({ node throws(ErrorInfo) in try strings(node, "directories") }) ?? [] {
            let entry = try normalize(text.hasSuffix("/") ? text : text + "/", item, normalizer)
            guard entry.kind == .directory else { throw fail(item, "\(text.debugDescription) under directories is not a directory entry") }
            directories.append(entry)
        }
        if access == .write, files.isEmpty, directories.isEmpty {
            throw fail(node, "agent \(name) has no files or directories (an agent that changes nothing takes access: read)")
        }
        var excludes: [ScopeEntry] = []
        var excludeNodes: [Node] = []
        for (text, item) in try map["excludes"].map({ node throws(ErrorInfo) in try strings(node, "excludes") }) ?? [] {
            let entry: ScopeEntry
            do { entry = try normalizer.normalize(text).entry } catch { throw fail(item, error.asExclude.message) }
            if !excludes.contains(entry) {
                excludes.append(entry)
                excludeNodes.append(item)
            }
        }
        if !excludes.isEmpty {
            do throws(ScopeError) {
                _ = try ScopeMatcher(entries: unique(files) + unique(directories), excludes: excludes)
            } catch {
                throw fail(excludeNodes.first { _ in true } ?? node, "agent \(name): " + error.message)
            }
        }
        let dependencies = try map["depends_on"].map { node throws(ErrorInfo) in try strings(node, "depends_on") } ?? []
        let agent = ManifestAgent(
            name: name, task: try map["task"].map { node throws(ErrorInfo) in try string(node, "task") },
            fileEntries: unique(files), directoryEntries: unique(directories), dependsOn: unique(dependencies.map(\.0)), access: access,
            line: node.mark?.line, column: node.mark?.column, excludeEntries: excludes
        )
        return (agent, dependencies)
    }

    private func normalize(_ text: String, _ node: Node, _ normalizer: EntryNormalizer) throws(ErrorInfo) -> ScopeEntry {
        let normalized: NormalizedEntry
        do { normalized = try normalizer.normalize(text) } catch { throw fail(node, error.message) }
        if let link = normalized.resolvedLink {
            warnings.append(.resolvedSymlink(text, through: link, as: normalized.entry.text))
        }
        return normalized.entry
    }

    private func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// `entries` with each text once, first occurrence kept.
    private func unique(_ entries: [ScopeEntry]) -> [ScopeEntry] {
        var seen: Set<String> = []
        return entries.filter { seen.insert($0.text).inserted }
    }

    private func strategyChoice(_ node: Node) throws(ErrorInfo) -> StrategyChoice {
        if case .scalar = node {
            let name = try string(node, "strategy")
            try checkStrategyName(name, node)
            return .named(name, options: [:])
        }
        let map = try fields(node, "strategy", allowed: ["name", "command", "options"])
        let options: [String: JSONValue]
        if let optionsNode = map["options"] {
            guard case .object(let object) = try JSONValue(yaml: optionsNode, reader: self) else { throw fail(optionsNode, "strategy options must be a mapping") }
            options = object
        } else {
            options = [:]
        }
        switch (map["name"], map["command"]) {
        case (let nameNode?, nil):
            let name = try string(nameNode, "strategy name")
            try checkStrategyName(name, nameNode)
            return .named(name, options: options)
        case (nil, let commandNode?):
            let argv = try strings(commandNode, "strategy command").map(\.0)
            guard let program = argv.first, !program.isEmpty else { throw fail(commandNode, "strategy command must name a program") }
            let resolved = program.contains("/") ? resolve(program) : program
            return .command([resolved] + argv.dropFirst(), options: options)
        default:
            throw fail(node, "strategy takes either \"name\" or \"command\"")
        }
    }

    private func checkStrategyName(_ name: String, _ node: Node) throws(ErrorInfo) {
        do { try AgentName.validate(name) } catch { throw fail(node, "invalid strategy name \(name.debugDescription)") }
    }
}

extension JSONValue {
    /// Converts a YAML node to JSON by its resolved tag (int, float, bool, null, string).
    init(yaml node: Node, reader: ManifestReader) throws(ErrorInfo) {
        switch node {
        case .scalar(let scalar):
            if node.isTagged(.null) {
                self = .null
            } else if node.isTagged(.bool) {
                self = .bool(node.bool ?? false)
            } else if node.isTagged(.int) {
                // Whole numbers are read exactly or not at all (none silently becomes 0 or a rounded double).
                guard let whole = node.int, let exact = CheckedNumber.integer(Double(whole), in: -CheckedNumber.largestExactInteger...CheckedNumber.largestExactInteger)
                else { throw reader.fail(node, "the number \(scalar.string) is out of range (at most 2^53 - 1 in size)") }
                self = .number(Double(exact))
            } else if node.isTagged(.float) {
                guard let value = node.float, value.isFinite else { throw reader.fail(node, "the number \(scalar.string) is out of range") }
                self = .number(value)
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            var values: [JSONValue] = []
            for item in sequence { values.append(try JSONValue(yaml: item, reader: reader)) }
            self = .array(values)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let text = key.scalar?.string else { throw reader.fail(key, "option keys must be strings") }
                object[text] = try JSONValue(yaml: value, reader: reader)
            }
            self = .object(object)
        case .alias:
            throw reader.fail(node, "aliases are not supported in options")
        }
    }
}

extension Node {
    /// Whether the node's resolved tag is `name`.
    func isTagged(_ name: Tag.Name) -> Bool { tag.description == name.rawValue }
}

/// Warnings gathered while a manifest is read (the reader is a value passed down the tree).
final class WarningLog: @unchecked Sendable {
    private(set) var entries: [ResultWarning] = []

    func append(_ warning: ResultWarning) {
        if !entries.contains(warning) { entries.append(warning) }
    }
}
