import Foundation
import ScopeLockProtocol

/// `plan`: read a manifest, find every conflict between agents that take locks, let the strategy plugin
/// resolve them, check its answer, and print the plan. Writes nothing.
public struct PlanRequest: Codable, Sendable {
    /// Path of a YAML or JSON manifest.
    public var manifest: String?
    /// The manifest itself, as an object (relative paths resolve against the current directory).
    public var manifestInline: JSONValue?
    /// A strategy name overriding the manifest's.
    public var strategy: String?
    /// How long the plugin may take (default 10s).
    public var pluginTimeout: String?

    public init(manifest: String? = nil, manifestInline: JSONValue? = nil, strategy: String? = nil, pluginTimeout: String? = nil) {
        self.manifest = manifest
        self.manifestInline = manifestInline
        self.strategy = strategy
        self.pluginTimeout = pluginTimeout
    }

    enum CodingKeys: String, CodingKey {
        case manifest, strategy
        case manifestInline = "manifest_inline"
        case pluginTimeout = "plugin_timeout"
    }
}

/// A resolved, wave-ordered plan.
public struct PlanResult: Encodable, Sendable {
    /// The strategy that resolved it.
    public struct StrategyInfo: Encodable, Sendable {
        public let name: String
        public let version: String
        /// The executable that ran.
        public let path: String
    }

    public let workflow: String
    public let manifest: String
    public let outputDirectory: String
    public let strategy: StrategyInfo
    /// The conflicts sent to the plugin, each with its overlapping entries and a witness.
    public let conflicts: [AgentConflict]
    public let actions: [PlanAction]
    /// Agent names in the order they may run; the agents of one wave run in parallel.
    public let waves: [[String]]
    /// The final scopes.
    public let agents: [ResolvedAgent]
    /// Agents that take no lock.
    public let readOnly: [String]
    /// The manifest's `depends_on` between final agents (and read-only ones): agent → the agents it runs after.
    public let dependsOn: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case workflow, manifest, strategy, conflicts, actions, waves, agents
        case outputDirectory = "output_directory"
        case readOnly = "read_only"
        case dependsOn = "depends_on"
    }
}

extension Workspace {
    public func plan(_ request: PlanRequest) async -> Outcome<PlanResult> {
        do {
            let planned = try await makePlan(request)
            return Outcome(planned.result, warnings: planned.warnings)
        } catch {
            return Outcome(error: error)
        }
    }

    /// A checked plan, with the manifest and the workspace it acts in; shared by `plan` and `apply`.
    func makePlan(_ request: PlanRequest) async throws(ErrorInfo) -> (result: PlanResult, manifest: Manifest, workspace: Workspace, warnings: [ResultWarning]) {
        let manifest = try loadManifest(request)
        let scoped = scoped(to: manifest)
        var warnings = manifest.warnings

        let snapshot = try scoped.store.snapshot()
        if let invalid = snapshot.firstInvalid?.invalidError {
            warnings.append(ResultWarning(code: "invalid_lock", message: invalid.message))
        }
        let time = now()
        let holding = Set(snapshot.records.compactMap(\.record).filter { $0.isActive(at: time) }.map(\.agent))
        let choice = request.strategy.map { StrategyChoice.named($0, options: manifest.strategy.options) } ?? manifest.strategy
        let timeout = try Self.seconds(request.pluginTimeout, name: "plugin-timeout") ?? 10
        let (client, path) = try strategyClient(choice, manifest: manifest, timeout: timeout)
        let description = try await client.describe()
        // A plugin that speaks protocol version 1 knows no excludes: it plans the whole entries (the safe side).
        var writers = manifest.writers
        let speaksExcludes = description.protocol != StrategyProtocol.version1
        if !speaksExcludes, writers.contains(where: { !$0.excludeEntries.isEmpty }) {
            for index in writers.indices { writers[index].excludeEntries = [] }
            warnings.append(ResultWarning(
                code: "excludes_not_sent",
                message: "strategy \(description.name) speaks \(StrategyProtocol.version1), which has no excludes: it planned the whole entries, and the locks take no excludes"
            ))
        }
        let scopes = writers.map { agent in
            AgentScope(
                name: agent.name, files: agent.files, directories: agent.directories, task: agent.task,
                dependsOn: agent.dependsOn, held: holding.contains(agent.name), excludes: agent.excludeEntries.isEmpty ? nil : agent.excludes
            )
        }
        // Each entry was parsed once as the manifest was read; it is compiled once here and reused by every step.
        let compiled = writers.map(CompiledScope.init)
        var conflicts = ConflictDetector.conflicts(among: compiled)
        let involved = Set(conflicts.flatMap(\.agents))
        let contested = compiled.filter { involved.contains($0.name) }.flatMap(\.entries)
        let root = scoped.normalizer.root
        let tree = RepositoryTree.files(coveredBy: contested, root: root)
        conflicts = ConflictDetector.preferringRealFiles(conflicts, scopes: compiled, tree: tree.files)
        if tree.truncated {
            warnings.append(ResultWarning(code: "tree_truncated", message: "more than \(RepositoryTree.limit) files under the contested scopes; the strategy saw the first ones"))
        }
        warnings += Hotspots.warnings(root: root, scopes: compiled)

        let resolveRequest = ResolveRequest(
            workflow: manifest.workflow, options: choice.options, agents: scopes, conflicts: conflicts, tree: tree.files,
            protocol: speaksExcludes ? StrategyProtocol.identifier : StrategyProtocol.version1
        )
        let answer = try await client.resolve(resolveRequest)
        try PlanValidator(plugin: URL(fileURLWithPath: path).lastPathComponent, request: resolveRequest, scopes: compiled)
            .validate(answer)

        let tasks = Dictionary(writers.map { ($0.name, $0.task) }, uniquingKeysWith: { first, _ in first })
        let agents = (answer.agents ?? []).map { agent in
            var final = agent
            if final.task == nil {
                let joined = (agent.mergedFrom ?? [agent.name]).compactMap { tasks[$0] ?? nil }.joined(separator: "; ")
                final.task = joined.isEmpty ? nil : joined
            }
            return final
        }
        let result = PlanResult(
            workflow: manifest.workflow, manifest: manifest.path, outputDirectory: scoped.location.outputDirectory,
            strategy: .init(name: description.name, version: description.version, path: path),
            conflicts: conflicts, actions: answer.actions ?? [], waves: answer.waves ?? [], agents: agents,
            readOnly: manifest.agents.filter { $0.access == .read }.map(\.name),
            dependsOn: Self.finalDependencies(manifest, agents: agents)
        )
        return (result, manifest, scoped, warnings)
    }

    /// `depends_on` carried over to the final agents: a merged agent runs after what any of its parts ran after.
    private static func finalDependencies(_ manifest: Manifest, agents: [ResolvedAgent]) -> [String: [String]] {
        var standsFor: [String: String] = [:]
        for agent in agents { for original in agent.mergedFrom ?? [agent.name] { standsFor[original] = agent.name } }
        var result: [String: [String]] = [:]
        for agent in manifest.agents {
            let from = standsFor[agent.name] ?? agent.name
            for dependency in agent.dependsOn {
                let to = standsFor[dependency] ?? dependency
                if to != from, !(result[from] ?? []).contains(to) { result[from, default: []].append(to) }
            }
        }
        return result
    }

    private func loadManifest(_ request: PlanRequest) throws(ErrorInfo) -> Manifest {
        let loader = ManifestLoader(explicitRoot: explicitRoot, defaultRoot: location.root)
        switch (request.manifest, request.manifestInline) {
        case (let path?, nil): return try loader.load(path: path)
        case (nil, let object?): return try loader.load(inline: object, folder: FileManager.default.currentDirectoryPath)
        default: throw ErrorInfo(.invalidInput, "give exactly one of manifest (a path) and manifest_inline (an object)")
        }
    }

    /// The client for the chosen strategy, and the executable's path.
    private func strategyClient(_ choice: StrategyChoice, manifest: Manifest, timeout: Int) throws(ErrorInfo) -> (StrategyClient, String) {
        let runner = PluginRunner(timeout: .seconds(timeout))
        switch choice {
        case .named(let name, _):
            let locator = PluginLocator(pluginDirectories: pluginDirectories, environment: environment)
            guard let path = locator.locate(name) else {
                throw ErrorInfo(
                    .pluginError,
                    "no strategy plugin named \(name): looked for \(StrategyProtocol.executablePrefix)\(name) in --plugin-dir, SCOPELOCK_PLUGIN_PATH, next to scopelock and on PATH (see `scopelock plugins`)"
                )
            }
            // The plugin runs in the manifest's folder: a path found relative to here must not change meaning.
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            return (StrategyClient(argv: [absolute], runner: runner, workingDirectory: manifest.folder), absolute)
        case .command(let argv, _):
            return (StrategyClient(argv: argv, runner: runner, workingDirectory: manifest.folder), argv[0])
        }
    }
}
