import ArgumentParser
import Foundation
import ScopeLockCore
import ScopeLockDashboard
import ScopeLockProtocol
import Subprocess

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a read-only page on 127.0.0.1: the locks, the waiters, the last events and the plan, live.",
        discussion: """
        The page updates itself when the locks change (server-sent events); it never changes a lock, and \
        answers anything but GET and HEAD with 405. It listens on 127.0.0.1 only. Once it listens it prints \
        its URL (with --json, one line {"ok": true, "url": ...}); Ctrl-C stops it. A port in use is exit 3.

        Example:
          scopelock dashboard
          scopelock dashboard --port 8080 --manifest examples/qualys/MANIFEST.yaml --open
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The port on 127.0.0.1 (default 7311; 0 picks a free one).") var port: Int = Int(Dashboard.defaultPort)
    @Option(help: ArgumentHelp("The manifest whose plan the page draws (default: MANIFEST.yaml at the root, when it exists).", valueName: "file"))
    var manifest: String?
    @Flag(help: "Open the page in the desktop's browser (xdg-open).") var open = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
    }

    func run() async throws {
        let workspace = global.workspace()
        let manifest = manifest ?? Self.defaultManifest(root: workspace.normalizer.root)
        let dashboard: Dashboard
        do throws(ErrorInfo) {
            dashboard = try Dashboard(workspace: workspace, manifest: manifest, port: UInt16(port))
        } catch {
            try Output.finish(Outcome<Empty>(error: error), json: global.json) { _ in "" }
            return
        }
        await dashboard.start()
        StandardOutput.line(global.json ? Output.jsonLine(Listening(url: dashboard.url)) : "scopelock dashboard: \(dashboard.url)  (Ctrl-C stops it)")
        if open { await Self.openInBrowser(dashboard.url) }
        await dashboard.follow()
    }

    /// `MANIFEST.yaml` at the root, when it exists.
    static func defaultManifest(root: String) -> String? {
        let path = (root.hasSuffix("/") ? root : root + "/") + "MANIFEST.yaml"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    private struct Listening: Encodable {
        let ok = true
        let url: String
    }

    /// Hands the URL to the desktop; a missing `xdg-open` is a warning, the page still serves.
    private static func openInBrowser(_ url: String) async {
        let opened = try? await Subprocess.run(.name("xdg-open"), arguments: [url], output: .discarded, error: .discarded)
        if opened?.terminationStatus.isSuccess != true {
            Output.printError("warning: could not open a browser (xdg-open); open \(url) yourself")
        }
    }
}
