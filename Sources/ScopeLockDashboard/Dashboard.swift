import Foundation
import ScopeLockCore
import ScopeLockProtocol
import Synchronization

/// `scopelock dashboard`: a read-only page on 127.0.0.1 showing the locks, the waiters, the last events and
/// the manifest's plan, updated live through server-sent events. It reads through the same operations as
/// the command line and never changes a lock.
public final class Dashboard: Sendable {
    /// The default port.
    public static let defaultPort: UInt16 = 7311

    let workspace: Workspace
    let manifest: String?
    private let hub = EventStreamHub()
    private let server: HTTPServer

    /// Listens on 127.0.0.1:`port` (0: any free port); `io_error` when the port is in use.
    public init(workspace: Workspace, manifest: String?, port: UInt16) throws(ErrorInfo) {
        self.workspace = workspace
        self.manifest = manifest
        server = try HTTPServer(port: port)
    }

    /// The page's address.
    public var url: String { "http://127.0.0.1:\(server.port)/" }

    /// Takes a first snapshot, then answers requests on their own threads; returns at once.
    public func start() async {
        await refresh(replan: true)
        let hub = hub
        Thread { [server] in server.serve { Dashboard.route($0, hub: hub) } }.start()
    }

    /// Takes a new snapshot and sends it to every open page. The plan is made again when `replan`.
    public func refresh(replan: Bool) async {
        var current = plan.withLock { $0 }
        if replan || current == nil {
            current = await makePlan()
            plan.withLock { $0 = current }
        }
        let snapshot = DashboardSnapshot(workspace: workspace, manifest: manifest, plan: current?.outcome)
        let data = (try? JSONCoding.encoder().encode(snapshot)) ?? Data(#"{"version":1}"#.utf8)
        hub.publish(data)
    }

    private struct PlanBox: Sendable { let outcome: Outcome<PlanResult>? }
    /// The manifest's plan as last made (plans run a strategy plugin: they are not made on every change).
    private let plan = Mutex<PlanBox?>(nil)

    private func makePlan() async -> PlanBox {
        guard let manifest else { return PlanBox(outcome: nil) }
        return PlanBox(outcome: await workspace.plan(PlanRequest(manifest: manifest)))
    }

    /// The answer to one GET: the page, its files, the latest snapshot, or the stream of snapshots.
    static func route(_ request: HTTPRequest, hub: EventStreamHub) -> HTTPResponse {
        let headers = [
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:",
        ]
        switch request.path {
        case "/", "/index.html": return HTTPResponse(body: PageFiles.index, contentType: "text/html; charset=utf-8", headers: headers)
        case "/dashboard.css": return HTTPResponse(body: PageFiles.css, contentType: "text/css; charset=utf-8", headers: headers)
        case "/dashboard.js": return HTTPResponse(body: PageFiles.script, contentType: "text/javascript; charset=utf-8", headers: headers)
        case "/api/state": return HTTPResponse(body: hub.latest, contentType: "application/json", headers: headers)
        case "/api/stream": return .eventStream { hub.listen($0) }
        default: return HTTPResponse(status: 404, text: "404 not found: the dashboard is at /\n")
        }
    }
}
