import Foundation
import ScopeLockCore
import ScopeLockProtocol

/// Routes protocol calls to the operations of `RPCOperations`: method name → params decoded into the request
/// value → the workspace operation → its outcome, encoded as `--json` prints it. Both `serve` and `mcp` call it.
///
/// It keeps no lock state between requests: each request builds its workspace anew and lists the locks
/// directory, because other processes (agents, the command line) change it at any moment. Only parsed records
/// are reused, by file identity (`RecordCache`). Requests are independent; only their answers' order is kept,
/// by `serve`.
package struct RPCDispatcher: Sendable {
    /// The workspace a request acts in when its params do not choose one (the server's own options).
    package struct Defaults: Sendable {
        var outputDirectory: String?
        var root: String?
        var pluginDirectories: [String] = []
        /// The lock store (`--store`); nil: `SCOPELOCK_STORE`, else the file store.
        var store: String?
    }

    let defaults: Defaults
    /// The process's environment, read once: building it anew for each request cost as much as a request's lookups.
    let environment: [String: String]

    /// The workspace found from the server's own directory and options, once: requests that name no `root` or
    /// `output_dir` act in it without searching again.
    let location: Result<WorkspaceLocation, ErrorInfo>

    package init(defaults: Defaults) {
        self.defaults = defaults
        environment = ProcessEnvironment.current
        let overrides = WorkspaceOverrides(root: defaults.root, outputDirectory: defaults.outputDirectory, store: defaults.store)
        do throws(ErrorInfo) {
            location = .success(try WorkspaceLocation.discover(from: FileManager.default.currentDirectoryPath, overrides: overrides, environment: environment))
        } catch {
            location = .failure(error)
        }
    }

    /// The workspace a request acts in: the server's, unless the request names its own root or output directory.
    private func workspace(_ chosen: WorkspaceParams) -> Workspace {
        let pluginDirectories = (chosen.pluginDir ?? []) + defaults.pluginDirectories
        if chosen.outputDir == nil, chosen.root == nil, case .success(let found) = location {
            return Workspace(location: found, pluginDirectories: pluginDirectories, environment: environment)
        }
        return Workspace(
            outputDirectory: chosen.outputDir ?? defaults.outputDirectory,
            root: chosen.root ?? defaults.root,
            pluginDirectories: pluginDirectories,
            environment: environment,
            store: defaults.store
        )
    }

    /// Runs one call. A refused operation is an answer with `ok` false; only an unknown method or bad params
    /// (missing, unknown or mistyped fields) are errors.
    package func call(_ method: String, params: RPCParams) async -> Result<RPCAnswer, RPCError> {
        guard let operation = RPCOperations.named[method] else {
            return .failure(.methodNotFound(method, known: RPCOperations.all.map(\.name)))
        }
        let accepted = Set(operation.allFields.map(\.name))
        if let unknown = params.names.first(where: { !accepted.contains($0) }) {
            return .failure(.invalidParams(FieldProblem(field: unknown, problem: .unknown)))
        }
        do {
            let chosen = try params.decode(WorkspaceParams.self, fields: RPCField.workspace)
            return .success(try await operation.perform(params.durationsAsText(operation.fields), workspace(chosen)))
        } catch {
            return .failure(error)
        }
    }

    /// Wakes each time the locks of the server's own workspace change, made by any process; nil when its store
    /// has no change feed.
    package func lockChanges() -> AsyncStream<Void>? {
        guard case .success(let found) = location,
              let feed = Workspace(location: found, pluginDirectories: defaults.pluginDirectories, environment: environment).store.changeFeed()
        else { return nil }
        return feed.stream()
    }

    /// Answers one line of `serve`: a JSON-RPC response line (an array of them for a batch), or nil when none is
    /// due (a notification, a batch of notifications, a blank line). A batch's requests run one after another.
    func respond(to line: Data) async -> String? {
        guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { return nil }
        switch RPCRequest.parseLine(line) {
        case .single(let message):
            return await respond(to: message)
        case .batch(let messages):
            var answers: [String] = []
            for message in messages {
                if let answer = await respond(to: message) { answers.append(answer) }
            }
            return RPCResponse.batch(answers)
        }
    }

    /// Answers one message, or nil for a notification.
    private func respond(to message: Result<RPCRequest, RPCRequest.Failure>) async -> String? {
        switch message {
        case .failure(let failure):
            return failure.isNotification ? nil : RPCResponse.failure(id: failure.id, error: failure.error)
        case .success(let request):
            let outcome = await call(request.method, params: RPCParams(message: request.message, names: request.parameterNames))
            guard let id = request.id else { return nil }
            switch outcome {
            case .success(let answer): return RPCResponse.success(id: id, result: answer.json)
            case .failure(let error): return RPCResponse.failure(id: id, error: error)
            }
        }
    }
}

/// The params that choose a request's workspace.
private struct WorkspaceParams: Decodable {
    var outputDir: String?
    var root: String?
    var pluginDir: [String]?

    enum CodingKeys: String, CodingKey {
        case root
        case outputDir = "output_dir"
        case pluginDir = "plugin_dir"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outputDir = try container.decodeIfPresent(String.self, forKey: .outputDir)
        root = try container.decodeIfPresent(String.self, forKey: .root)
        if let one = try? container.decodeIfPresent(String.self, forKey: .pluginDir) {
            pluginDir = [one]
        } else {
            pluginDir = try container.decodeIfPresent([String].self, forKey: .pluginDir)
        }
    }
}
