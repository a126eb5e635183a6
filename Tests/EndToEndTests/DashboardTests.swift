import Foundation
import Testing

/// `scopelock dashboard` in a real browser (headless Chromium, driven by Support/browser.py over the
/// DevTools protocol): the locks are in the rendered page, a lock taken from the command line appears
/// without a reload, a screenshot is saved; nothing but GET and HEAD is answered; a port in use is exit 3.
@Suite(.serialized) struct DashboardTests {
    static let browser = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/browser.py").path

    /// Starts a dashboard in the background (its pid in `dashboard.pid`, its URL in `$url`), runs `body`, stops it.
    static func withDashboard(_ body: String, arguments: String = "") -> String {
        """
        "$SCOPELOCK" dashboard --port 0 --json \(arguments) > dashboard.json 2> dashboard.err &
        pid=$!
        trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
        for i in $(seq 100); do [ -s dashboard.json ] && break; sleep 0.1; done
        url=$(python3 -c 'import json; print(json.load(open("dashboard.json"))["url"])') || { cat dashboard.err >&2; exit 99; }
        \(body)
        """
    }

    @Test func theLocksAreInTheRenderedPage() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/", "--task", "build the app"]).status == 0)
        #expect(try await cli.run(["acquire", "reviewer", "docs/", "--shared", "--task", "review <b>the</b> docs"]).status == 0)
        let screenshot = cli.directory + "/dashboard.png"
        let run = try await cli.bash(Self.withDashboard("""
            python3 \(SchemaFiles.quoted(Self.browser)) "$url" \(SchemaFiles.quoted(screenshot))
            """, arguments: "--manifest " + SchemaFiles.quoted(PlanPictureTests.manifest)))
        #expect(run.status == 0, "\(run.stderr)")
        let page = try #require(JSON.object(run.stdout), "browser.py printed: \(run.stdout.prefix(500)) \(run.stderr.suffix(2000))")
        let before = page["before"] as? String ?? ""
        #expect(before.contains("dev") && before.contains("src/app/") && before.contains("build the app"), "\(before)")
        #expect(before.contains("reviewer") && before.contains("shared"))
        let dom = page["dom"] as? String ?? ""
        #expect(dom.contains(#"data-agent="dev""#) && dom.contains(#"data-agent="reviewer""#))
        #expect(dom.contains("review &lt;b&gt;the&lt;/b&gt; docs"), "agent text is shown as text, never as HTML")
        // The manifest's plan as a picture: its waves, agents, and the conflict's witness.
        #expect(dom.contains(">wave 2<") && dom.contains(#"data-agent="backend-tester""#) && dom.contains("client_test.go"))
        let png = try #require(FileManager.default.contents(atPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "a screenshot in the test's folder")
    }

    @Test func aLockTakenFromTheCommandLineAppearsWithoutAReload() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/"]).status == 0)
        let screenshot = cli.directory + "/dashboard-live.png"
        let run = try await cli.bash(Self.withDashboard("""
            python3 \(SchemaFiles.quoted(Self.browser)) "$url" \(SchemaFiles.quoted(screenshot)) "$SCOPELOCK" acquire tester tests/ --task "write the tests"
            """))
        let page = try #require(JSON.object(run.stdout), "browser.py printed: \(run.stdout.prefix(500)) \(run.stderr.suffix(2000))")
        #expect(!(page["before"] as? String ?? "").contains("tester"))
        #expect((page["after"] as? String ?? "").contains("tester"), "the new lock is shown")
        #expect(page["updated"] as? Bool == true)
        #expect(page["reloaded"] as? Bool == false, "the page was not reloaded")
        #expect(FileManager.default.fileExists(atPath: screenshot))
    }

    @Test func mutatingMethodsAreRefusedAndOnlyLocalHostsAnswered() async throws {
        let cli = try CLI()
        #expect(try await cli.run(["acquire", "dev", "src/app/"]).status == 0)
        let run = try await cli.bash(Self.withDashboard("""
            for method in POST PUT DELETE PATCH; do
              curl -s -o /dev/null -w "$method %{http_code}\\n" -X $method "$url" -d '{}'
              curl -s -o /dev/null -w "$method-api %{http_code}\\n" -X $method "${url}api/state" -d '{}'
            done
            curl -s -D - -o /dev/null -X POST "$url" | grep -i '^allow:'
            curl -s -o /dev/null -w "GET %{http_code}\\n" "$url"
            curl -s -o /dev/null -w "foreign-host %{http_code}\\n" -H 'Host: attacker.example' "$url"
            curl -s "${url}api/state" > state.json
            """))
        #expect(run.status == 0, "\(run.stderr)")
        for method in ["POST", "PUT", "DELETE", "PATCH"] {
            #expect(run.stdout.contains("\(method) 405") && run.stdout.contains("\(method)-api 405"), "\(run.stdout)")
        }
        #expect(run.stdout.lowercased().contains("allow: get, head"))
        #expect(run.stdout.contains("GET 200"))
        #expect(run.stdout.contains("foreign-host 421"))
        #expect(cli.read("locks/dev.lock") != nil, "no request changed a lock")
        let state = try #require(JSON.object(String(decoding: cli.read("state.json") ?? Data(), as: UTF8.self)))
        let locks = (state["status"] as? [String: Any])?["locks"] as? [[String: Any]]
        #expect(locks?.map { $0["agent"] as? String } == ["dev"])
    }

    @Test func aPortInUseIsExit3() async throws {
        let cli = try CLI()
        let run = try await cli.bash(Self.withDashboard("""
            port=${url#http://127.0.0.1:}; port=${port%/}
            "$SCOPELOCK" dashboard --port "$port"; echo "status $?"
            "$SCOPELOCK" dashboard --port "$port" --json; echo "status $?"
            """))
        #expect(run.stdout.contains("status 3"))
        #expect(!run.stdout.contains("status 0"))
        #expect(run.stderr.contains("is in use"), "\(run.stderr)")
        #expect(run.stdout.contains(#""code":"io_error""#))
    }

    @Test func theURLIsPrintedOnceListening() async throws {
        let cli = try CLI()
        let run = try await cli.bash(Self.withDashboard("""
            cat dashboard.json
            curl -s -o /dev/null -w "%{http_code}" "$url"
            """))
        let line = try #require(run.stdout.split(separator: "\n").first)
        let printed = try #require(JSON.object(String(line)))
        #expect(printed["ok"] as? Bool == true)
        #expect((printed["url"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
        #expect(run.stdout.hasSuffix("200"))
    }
}
