import Foundation
import ScopeLockProtocol

/// `apply`: plan, then acquire one wave's locks all or nothing, in one critical section, with the
/// manifest's `ttl` and tasks.
public struct ApplyRequest: Codable, Sendable {
    public var manifest: String?
    public var manifestInline: JSONValue?
    public var strategy: String?
    public var pluginTimeout: String?
    /// The wave to acquire, from 1 (default 1).
    public var wave: Int?

    public init(manifest: String? = nil, manifestInline: JSONValue? = nil, strategy: String? = nil, pluginTimeout: String? = nil, wave: Int? = nil) {
        self.manifest = manifest
        self.manifestInline = manifestInline
        self.strategy = strategy
        self.pluginTimeout = pluginTimeout
        self.wave = wave
    }

    enum CodingKeys: String, CodingKey {
        case manifest, strategy, wave
        case manifestInline = "manifest_inline"
        case pluginTimeout = "plugin_timeout"
    }
}

/// The locks one wave took.
public struct ApplyResult: Encodable, Sendable {
    public let workflow: String
    /// The wave acquired, from 1.
    public let wave: Int
    public let waves: Int
    public let locks: [LockRecord]
    /// The workflow's output directory, where these locks live: agents given it (`SCOPELOCK_OUTPUT_DIR`)
    /// see the workflow's locks from any folder.
    public let outputDirectory: String

    enum CodingKeys: String, CodingKey {
        case workflow, wave, waves, locks
        case outputDirectory = "output_directory"
    }
}

extension Workspace {
    public func apply(_ request: ApplyRequest) async -> Outcome<ApplyResult> {
        let planned: (result: PlanResult, manifest: Manifest, workspace: Workspace, warnings: [ResultWarning])
        do {
            planned = try await makePlan(PlanRequest(
                manifest: request.manifest, manifestInline: request.manifestInline, strategy: request.strategy,
                pluginTimeout: request.pluginTimeout
            ))
        } catch {
            return Outcome(error: error)
        }
        let plan = planned.result
        let wave = request.wave ?? 1
        do throws(ErrorInfo) {
            guard wave >= 1, wave <= plan.waves.count else {
                throw ErrorInfo(.invalidInput, "wave \(wave) does not exist: the plan has \(plan.waves.count) wave(s)")
            }
            let ttl = try Self.seconds(planned.manifest.ttl, name: "ttl") ?? defaultTTLSeconds
            let members = Set(plan.waves[wave - 1])
            let agents = plan.agents.filter { members.contains($0.name) }
            let (locks, warnings) = try planned.workspace.acquireAll(agents, ttl: ttl, warnings: planned.warnings)
            return Outcome(ApplyResult(
                workflow: plan.workflow, wave: wave, waves: plan.waves.count, locks: locks,
                outputDirectory: planned.workspace.location.outputDirectory
            ), warnings: warnings)
        } catch {
            return Outcome<ApplyResult>(error: error, warnings: planned.warnings)
                .preferringExistingWitnesses(root: planned.workspace.normalizer.root)
        }
    }

    /// Grants every agent's lock in one transaction, or none: a conflict with any other holder refuses all
    /// (thrown as the `conflict` error).
    func acquireAll(_ agents: [ResolvedAgent], ttl: Int, warnings: [ResultWarning]) throws(ErrorInfo) -> ([LockRecord], [ResultWarning]) {
        var collected = warnings
        let names = Set(agents.map(\.name))
        var finders: [(ResolvedAgent, [ScopeEntry], [ScopeEntry], ConflictFinder)] = []
        for agent in agents {
            var entries: [ScopeEntry] = []
            var excludes: [ScopeEntry] = []
            let excludeSet: ExcludeSet
            do {
                for text in agent.files { entries.append(try ScopeEntry(parsing: text)) }
                for text in agent.directories { entries.append(try ScopeEntry(parsing: text, asDirectory: true)) }
                for text in agent.excludes ?? [] { excludes.append(try ScopeEntry(parsing: text)) }
                excludeSet = try ScopeMatcher(entries: entries, excludes: excludes).excludes
            } catch {
                throw ErrorInfo(scope: error)
            }
            finders.append((agent, entries, excludes, ConflictFinder(agent: agent.name, entries: entries, excludes: excludeSet, shared: false, ignoring: names)))
        }
        var refusal: ErrorInfo?
        let outcome = try store.transact { snapshot throws(ErrorInfo) in
            let time = now()
            collected = warnings  // a store may run this more than once
            refusal = nil
            var changes: [LockChange] = []
            var conflicts: [ConflictInfo] = []
            var replaced: Set<String> = []
            for (agent, entries, excludes, finder) in finders {
                let findings = try finder.examine(snapshot, now: time)
                conflicts += findings.conflicts
                for expired in findings.expired where replaced.insert(expired.agent).inserted {
                    collected.append(.overwroteExpired(expired.agent))
                    changes.append(.remove(agent: expired.agent, token: expired.token, event: .expire))
                }
                changes.append(.grant(LockRecord.grant(
                    agent: agent.name, entries: entries, task: agent.task, ttl: ttl, shared: false, at: time
                ).excluding(excludes)))
            }
            guard conflicts.isEmpty else {
                var error = ErrorInfo.conflict(conflicts, requester: agents.map(\.name).joined(separator: ", "))
                error.agent = nil
                error.agents = agents.map(\.name)
                refusal = error
                return []
            }
            return changes
        }
        if let refusal { throw refusal }
        return (outcome.written, collected)
    }
}
