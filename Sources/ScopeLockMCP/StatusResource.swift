import Foundation
import MCP
import ScopeLockCommands
import ScopeLockCore
import ScopeLockProtocol
import Synchronization

/// The resource `scopelock://status`: the `status` result, as `scopelock status --json` prints it. A client that
/// subscribes gets `notifications/resources/updated` whenever the locks change: at once for a change made through
/// this server's tools, and, for a change made by any other process, when the store's change feed wakes (inotify on
/// the locks folder; nothing polls on a timer).
final class StatusResource: Sendable {
    static let uri = "scopelock://status"

    let dispatcher: RPCDispatcher
    let server: Server
    private let subscribed = Mutex(false)
    private let watcher = Mutex<Task<Void, Never>?>(nil)

    init(dispatcher: RPCDispatcher, server: Server) {
        self.dispatcher = dispatcher
        self.server = server
    }

    /// Registers the handlers for listing, reading and (un)subscribing.
    func register() async {
        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: [Resource(
                name: "status", uri: Self.uri, title: "Locks and waiters",
                description: "The status result (scopelock status --json): every lock record, active, expired or invalid. Subscribe to hear when locks change.",
                mimeType: "application/json"
            )])
        }
        await server.withMethodHandler(ReadResource.self) { [self] params in
            guard params.uri == Self.uri else { throw MCPError.invalidParams("unknown resource \(params.uri.debugDescription): use \(Self.uri)") }
            return ReadResource.Result(contents: [.text(await statusJSON(), uri: Self.uri, mimeType: "application/json")])
        }
        await server.withMethodHandler(ResourceSubscribe.self) { [self] params in
            guard params.uri == Self.uri else { throw MCPError.invalidParams("unknown resource \(params.uri.debugDescription): use \(Self.uri)") }
            subscribed.withLock { $0 = true }
            startWatching()
            return MCP.Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { [self] params in
            if params.uri == Self.uri { subscribed.withLock { $0 = false } }
            return MCP.Empty()
        }
    }

    /// Tells a subscriber that the locks changed.
    func changed() async {
        guard subscribed.withLock({ $0 }) else { return }
        try? await server.notify(ResourceUpdatedNotification.message(.init(uri: Self.uri)))
    }

    func stop() {
        watcher.withLock { $0?.cancel() }
    }

    private func statusJSON() async -> String {
        let message = Data(#"{"params":{}}"#.utf8)
        switch await dispatcher.call("status", params: RPCParams(message: message, names: [])) {
        case .success(let answer): return answer.json
        case .failure(let error): return Output.jsonLine(Outcome<ScopeLockCore.Empty>(error: ErrorInfo(.invalidInput, error.message)))
        }
    }

    /// Listens for changes made by other processes, once, for the rest of the session.
    private func startWatching() {
        watcher.withLock { task in
            guard task == nil, let changes = dispatcher.lockChanges() else { return }
            task = Task { [self] in
                for await _ in changes {
                    if Task.isCancelled { break }
                    await changed()
                }
            }
        }
    }
}
