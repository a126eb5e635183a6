import Foundation
import Subprocess
import Testing

/// `scripts/install` and `scripts/package deb` from this checkout, and the installed programs run as on a machine
/// without Swift: a PATH that holds no toolchain and an empty `LD_LIBRARY_PATH`. The release build they share
/// (static Swift runtime) is made once per test run, in `.build-install/`, apart from the test build.
@Suite(.serialized, .timeLimit(.minutes(30)))
struct PackagingTests {
    /// The checkout these tests belong to.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The release build both scripts use (ignored by git, like `.build/`).
    static let buildPath = repository + "/.build-install"
    static let strategies = ["merge", "reassign", "sequential", "split"]
    /// A PATH without the Swift toolchain.
    static let plainPath = "/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin"

    @Test func installedScopelockRunsWithoutAToolchain() async throws {
        let scratch = try Scratch()
        let prefix = scratch.path + "/prefix"
        let install = try await Self.run(Self.repository + "/scripts/install", ["--prefix", prefix, "--build-path", Self.buildPath])
        #expect(install.status == 0, "scripts/install failed: \(install.stderr)")

        // One binary: the strategies are links to it; the man pages and completions are where shells look.
        let bin = prefix + "/bin"
        for strategy in Self.strategies {
            let link = try FileManager.default.destinationOfSymbolicLink(atPath: bin + "/scopelock-strategy-" + strategy)
            #expect(link == "scopelock")
        }
        for file in ["share/man/man1/scopelock.1", "share/man/man1/scopelock.acquire.1", "share/man/man1/scopelock.plan.1",
                     "share/bash-completion/completions/scopelock", "share/zsh/site-functions/_scopelock",
                     "share/fish/vendor_completions.d/scopelock.fish"] {
            let text = (try? String(contentsOfFile: prefix + "/" + file, encoding: .utf8)) ?? ""
            #expect(text.contains("scopelock"), "\(file) is missing or empty")
        }
        #expect(try String(contentsOfFile: prefix + "/share/man/man1/scopelock.acquire.1", encoding: .utf8).contains(".Sh DESCRIPTION"))

        // No library of the toolchain is loaded.
        for program in ["scopelock", "scopelock-mcp"] {
            let ldd = try await Self.run("/usr/bin/ldd", [bin + "/" + program])
            #expect(ldd.status == 0)
            for toolchainLibrary in ["libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "icu", "/opt/swift"] {
                #expect(!ldd.stdout.contains(toolchainLibrary), "\(program) loads \(toolchainLibrary):\n\(ldd.stdout)")
            }
        }

        try await Self.checkInstalledPrograms(bin: bin, scratch: scratch)
    }

    @Test func debianPackageInstallsAndRemovesCleanly() async throws {
        let scratch = try Scratch()
        let package = try await Self.run(Self.repository + "/scripts/package",
                                         ["deb", "--build-path", Self.buildPath, "--output", scratch.path + "/dist"])
        #expect(package.status == 0, "scripts/package deb failed (lintian errors?): \(package.stderr)")
        let deb = package.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let arch = try await Self.run("/usr/bin/dpkg", ["--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try await Self.run(Self.buildPath + "/release/scopelock", ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb == scratch.path + "/dist/scopelock_\(version)_\(arch).deb")

        // The control file and the Debian places.
        let fields = try await Self.run("/usr/bin/dpkg-deb", ["--field", deb]).stdout
        #expect(fields.contains("Package: scopelock\n"))
        #expect(fields.contains("Version: \(version)\n"))
        #expect(fields.contains("Architecture: \(arch)\n"))
        #expect(fields.contains("Depends: libc6"))
        let contents = try await Self.run("/usr/bin/dpkg-deb", ["--contents", deb]).stdout
        for path in ["./usr/bin/scopelock", "./usr/bin/scopelock-mcp", "./usr/bin/scopelock-strategy-split -> scopelock",
                     "./usr/share/man/man1/scopelock.1.gz", "./usr/share/man/man1/scopelock.acquire.1.gz",
                     "./usr/share/bash-completion/completions/scopelock", "./usr/share/zsh/vendor-completions/_scopelock",
                     "./usr/share/fish/vendor_completions.d/scopelock.fish", "./usr/share/doc/scopelock/copyright"] {
            #expect(contents.contains(path), "the package lacks \(path)")
        }
        #expect(!contents.contains("./usr/local"))
        #expect(contents.split(separator: "\n").allSatisfy { $0.contains(" root/root ") }, "files not owned by root:\n\(contents)")

        // dpkg -i into a root of its own (so that nothing else on this machine sees the programs), run, dpkg -r.
        let root = scratch.path + "/root"
        for folder in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: root + "/var/lib/dpkg/status", contents: Data())
        // The dependencies (libc6 and the like) are this machine's, not the empty root's.
        let dpkg = ["--root=\(root)", "--force-not-root", "--force-depends", "--force-script-chrootless"]
        let installed = try await Self.run("/usr/bin/dpkg", dpkg + ["-i", deb])
        #expect(installed.status == 0, "dpkg -i failed: \(installed.stderr)")
        try await Self.checkInstalledPrograms(bin: root + "/usr/bin", scratch: scratch)

        let removed = try await Self.run("/usr/bin/dpkg", dpkg + ["-r", "scopelock"])
        #expect(removed.status == 0, "dpkg -r failed: \(removed.stderr)")
        let left = try await Self.run("/usr/bin/find", [root, "-mindepth", "1", "-not", "-path", root + "/var/lib/dpkg*"])
        #expect(left.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("/var/lib") || $0.hasSuffix("/var") },
                "dpkg -r left behind:\n\(left.stdout)")
    }

    /// `--version`, `plugins` (the four built-ins, found beside scopelock), an acquire, and a plan with a built-in
    /// strategy, each run as a user of a machine without Swift would.
    static func checkInstalledPrograms(bin: String, scratch: Scratch) async throws {
        let environment = ["PATH": bin + ":" + plainPath, "LD_LIBRARY_PATH": "", "HOME": scratch.path]
        func scopelock(_ arguments: [String]) async throws -> Output {
            try await run(bin + "/scopelock", arguments, environment: environment, directory: scratch.path)
        }
        let version = try await scopelock(["--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty, "--version: \(version.stderr)")

        let plugins = try await scopelock(["plugins", "--json"])
        #expect(plugins.status == 0, "plugins: \(plugins.stderr)")
        let found = (plugins.json["plugins"] as? [[String: Any]]) ?? []
        #expect(found.compactMap { $0["name"] as? String }.sorted() == strategies, "plugins: \(plugins.stdout)")
        for plugin in found {
            #expect((plugin["path"] as? String)?.hasPrefix(bin + "/scopelock-strategy-") == true)
            #expect(plugin["version"] as? String != nil, "no version: \(plugin)")
        }

        let workflow = scratch.path + "/workflow"
        let acquire = try await scopelock(["acquire", "dev", "src/app/", "--json", "-o", workflow, "--root", scratch.path])
        #expect(acquire.status == 0 && acquire.json["ok"] as? Bool == true, "acquire: \(acquire.stdout) \(acquire.stderr)")
        let refused = try await scopelock(["acquire", "tester", "src/**/*_test.go", "-o", workflow, "--root", scratch.path])
        #expect(refused.status == 1, "a conflicting acquire: \(refused.stdout) \(refused.stderr)")
        #expect(try await scopelock(["release", "dev", "-o", workflow]).status == 0)

        let manifest = scratch.path + "/MANIFEST.yaml"
        try """
        version: 1
        workflow: installed
        strategy: sequential
        agents:
          - name: backend
            directories: [src/]
          - name: tester
            files: [src/api/handler_test.go]
        """.write(toFile: manifest, atomically: false, encoding: .utf8)
        for strategy in ["sequential", "split"] {
            let plan = try await scopelock(["plan", manifest, "--strategy", strategy, "--json", "-o", workflow, "--root", scratch.path])
            #expect(plan.status == 0, "plan --strategy \(strategy): \(plan.stdout) \(plan.stderr)")
            #expect((plan.json["strategy"] as? [String: Any])?["name"] as? String == strategy)
            #expect((plan.json["waves"] as? [[String]])?.isEmpty == false)
        }
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:] }
    }

    /// Runs `executable` with exactly `environment` when given (else this process's), collecting its output.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    directory: String? = nil) async throws -> Output {
        let env: Subprocess.Environment
        if let environment {
            env = .custom(Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }))
        } else {
            env = .inherit
        }
        let result = try await Subprocess.run(
            .path(.init(executable)), arguments: .init(arguments), environment: env,
            workingDirectory: directory.map { .init($0) }, input: .none,
            output: .string(limit: 16 << 20), error: .string(limit: 16 << 20)
        )
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Output(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// A temporary folder, removed when the test is done with it.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-packaging-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }
}
