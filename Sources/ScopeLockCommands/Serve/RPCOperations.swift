import ScopeLockCore
import ScopeLockProtocol

/// The one table of operations that `serve` offers as methods and `mcp` as tools, by the same names and params
/// (the request values' field names). Each entry calls the same workspace operation as its command.
package enum RPCOperations {
    package static let all: [RPCOperation] = [
        .make("acquire", "Take (or replace) an agent's lock on files, directories (ending in /) and globs, all or nothing.", [
            RPCField("agent", .string, required: true, "The agent taking the lock (also the lock file's name)."),
            RPCField("entries", .strings, required: true, "Files, directories (ending in /) and globs, relative to the root."),
            RPCField("task", .string, "What the agent is doing, recorded as task_description."),
            RPCField("ttl", .duration, "How long the lock lasts: 90s, 15m, 1h, 1h30m or seconds (default 1h)."),
            RPCField("shared", .boolean, "Take a shared lock: other shared locks on the same scope are allowed."),
            RPCField("wait", .duration, "On conflict, wait in line (first come, first served) for this long before giving up with timeout."),
            RPCField("excludes", .strings, "Entries the scope does not cover (files, directories, globs)."),
            RPCField("add", .boolean, "Add the entries to the agent's active lock, keeping its token and expiry."),
            RPCField("pid", .integer, "The process the lock lives with (on the server's machine): once it is gone, the lock is dead."),
        ]) { (workspace, request: AcquireRequest) in await workspace.acquire(request) },
        .make("release", "Remove an agent's lock when it has finished.", [
            RPCField("agent", .string, required: true, "The agent whose lock to remove."),
            RPCField("token", .integer, "The fencing token the agent was granted: refused with lost if the lock now carries another."),
            RPCField("force", .boolean, "Remove the record whatever its token or state, an unreadable one included."),
            RPCField("entries", .strings, "Give back only these entries, exactly as held (the lock goes when none is left)."),
        ]) { (workspace, request: ReleaseRequest) in workspace.release(request) },
        .make("renew", "Push an active lock's expiry forward, keeping its token.", [
            RPCField("agent", .string, required: true, "The agent whose lock to renew."),
            RPCField("ttl", .duration, "New time to live from now (default: the TTL the lock was granted or last renewed with)."),
            RPCField("token", .integer, "The fencing token the agent was granted."),
        ]) { (workspace, request: RenewRequest) in workspace.renew(request) },
        .make("status", "List lock records (active, expired, dead or invalid, with seconds left) and the waiters in line.", [
            RPCField("agent", .string, "Show only this agent's record."),
        ]) { (workspace, request: StatusRequest) in workspace.status(request) },
        .make("check", "Show what acquiring a scope would meet, writing nothing; conflicts refuse as acquire would.", [
            RPCField("agent", .string, required: true, "The agent that would take the lock."),
            RPCField("entries", .strings, required: true, "Files, directories (ending in /) and globs."),
            RPCField("shared", .boolean, "Check for a shared lock."),
            RPCField("excludes", .strings, "Entries the scope does not cover."),
        ]) { (workspace, request: CheckRequest) in workspace.check(request) },
        .make("owner", "Show which active locks cover each path.", [
            RPCField("paths", .strings, required: true, "Paths (or entries) to look up."),
        ]) { (workspace, request: OwnerRequest) in workspace.owner(request) },
        .make("overlap", "Decide exactly whether two entries overlap, with a path both cover.", [
            RPCField("left", .string, required: true, "The first entry."),
            RPCField("right", .string, required: true, "The second entry."),
            RPCField("excludes_left", .strings, "Entries the left scope does not cover."),
            RPCField("excludes_right", .strings, "Entries the right scope does not cover."),
        ]) { (workspace, request: OverlapRequest) in workspace.overlap(request) },
        .make("prune", "Delete expired lock records, each reported; invalid records are left for a person.", [
            RPCField("dry_run", .boolean, "Report what would be deleted, deleting nothing."),
        ]) { (workspace, request: PruneRequest) in workspace.prune(request) },
        .make("clear", "The workflow is done: remove the locks directory (refused while locks are active, unless force).", [
            RPCField("force", .boolean, "Remove it even while locks are active."),
        ]) { (workspace, request: ClearRequest) in workspace.clear(request) },
        .make("plan", "Find the conflicts of a workflow manifest and return a resolved, wave-ordered plan. Writes nothing.", manifestFields) {
            (workspace, request: PlanRequest) in await workspace.plan(request)
        },
        .make("apply", "Plan a manifest, then acquire one wave's locks, all or nothing.", manifestFields + [
            RPCField("wave", .integer, "The wave to acquire, from 1 (default 1)."),
        ]) { (workspace, request: ApplyRequest) in await workspace.apply(request) },
        .make("plugins", "List the strategy plugins found, with name, version and path.", []) {
            (workspace, request: PluginsRequest) in await workspace.plugins(request)
        },
        .make("guard", "Check that changed paths lie inside the agent's active lock and outside other agents' exclusive locks.", [
            RPCField("agent", .string, required: true, "The agent making the change."),
            RPCField("paths", .strings, "The changed paths, relative to the root."),
            RPCField("staged", .boolean, "Check the paths staged in git for the next commit."),
            RPCField("since", .string, "Check the paths changed in the git work tree since this revision."),
        ]) { (workspace, request: GuardRequest) in await workspace.guard(request) },
        .make("where", "Show the root, output directory and store requests act in, and the rule that chose each.", []) {
            (workspace, request: WhereRequest) in workspace.where(request)
        },
        .make("describe", "Name this server, its version, protocol and methods.", [], takesWorkspace: false) {
            (_, _: DescribeRequest) in Outcome(DescribeResult())
        },
    ]

    /// The operations by name.
    package static let named = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The params `plan` and `apply` share.
    private static let manifestFields = [
        RPCField("manifest", .string, "Path of a YAML or JSON workflow manifest (give this or manifest_inline)."),
        RPCField("manifest_inline", .object, "The manifest itself, as an object (give this or manifest)."),
        RPCField("strategy", .string, "Resolve with this strategy instead of the manifest's."),
        RPCField("plugin_timeout", .duration, "How long the strategy plugin may take (default 10s)."),
    ]
}

/// `describe` takes no params.
struct DescribeRequest: Codable, Sendable {}

/// What `describe` answers: `{"ok": true, "name": "scopelock", "version", "protocol": "jsonrpc-2.0", "methods"}`.
struct DescribeResult: Encodable, Sendable {
    let name = "scopelock"
    let version = ScopeLockCommand.version
    let `protocol` = "jsonrpc-2.0"
    let methods = RPCOperations.all.map(\.name)
}
