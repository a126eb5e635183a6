import Foundation
import Subprocess
import Testing

/// Runs the built `scopelock` binary as a user would, in a scratch directory.
struct CLI {
    /// The `scopelock` executable built next to the test bundle.
    static let binary: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner may sit inside an .xctest bundle directory.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("scopelock").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("scopelock").path
    }()

    /// The scratch directory commands run in; it is both the root and the output directory (`locks/` lives in it).
    let directory: String

    /// The settings file that makes the scratch directory its own root and output directory. Without it the
    /// output directory would be `<root>/.scopelock` (no git repository here); these tests were written for
    /// `locks/` in the directory itself, so they say so, as a user's `.scopelock.yaml` would.
    static let settings = "output_directory: .\n"

    /// A fresh scratch directory; `settings: false` leaves out the settings file (to test discovery itself).
    init(settings: Bool = true) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("scopelock-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if settings { try CLI.settings.write(toFile: path + "/.scopelock.yaml", atomically: false, encoding: .utf8) }
        directory = path
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// stdout parsed as one JSON object.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }

        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    /// Runs `scopelock ARGUMENTS` in `directory` with a clean scopelock environment.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Result {
        try await execute(CLI.binary, arguments, environment: environment, input: input)
    }

    /// Runs `scopelock ARGUMENTS` in the folder `subfolder` of `directory` (or an absolute folder).
    @discardableResult
    func run(_ arguments: [String], in subfolder: String, environment: [String: String] = [:]) async throws -> Result {
        let folder = subfolder.hasPrefix("/") ? subfolder : directory + "/" + subfolder
        return try await execute(CLI.binary, arguments, environment: environment, in: folder)
    }

    /// Runs a bash script in `directory` with `$SCOPELOCK` set to the binary.
    @discardableResult
    func bash(_ script: String) async throws -> Result {
        try await execute("/bin/bash", ["-c", script], environment: ["SCOPELOCK": CLI.binary])
    }

    private func execute(
        _ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil, in folder: String? = nil
    ) async throws -> Result {
        var env: [Environment.Key: String?] = ["SCOPELOCK_OUTPUT_DIR": nil, "SCOPELOCK_ROOT": nil, "SCOPELOCK_STORE": nil]
        for (key, value) in environment { env[Environment.Key(stringLiteral: key)] = value }
        // Standard input comes from a file, not a pipe: a command that exits without reading all of it (a hook
        // reads one JSON value) must not leave a pipe writer behind.
        let inputPath = NSTemporaryDirectory() + "scopelock-cli-input-" + UUID().uuidString
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: inputPath))
        defer { try? FileManager.default.removeItem(atPath: inputPath) }
        let inputDescriptor = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard inputDescriptor >= 0 else { throw CocoaError(.fileReadUnknown) }
        let result = try await Subprocess.run(
            .path(.init(executable)),
            arguments: .init(arguments),
            environment: .inherit.updating(env),
            workingDirectory: .init(folder ?? directory),
            input: .fileDescriptor(.init(rawValue: inputDescriptor), closeAfterSpawningProcess: true),
            output: .string(limit: 64 << 20),
            error: .string(limit: 16 << 20)
        )
        let status: Int32
        switch result.terminationStatus {
        case .exited(let code): status = code
        case .signaled(let signal): status = 128 + signal
        }
        return Result(status: status, stdout: result.standardOutput, stderr: result.standardError)
    }

    /// Writes a file under the scratch directory, creating folders.
    func write(_ relative: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: url, atomically: false, encoding: .utf8)
    }

    /// Every path under the scratch directory, relative, sorted, the settings file left out (to prove nothing
    /// appeared elsewhere).
    func tree() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var paths: [String] = []
        while let next = enumerator?.nextObject() as? String {
            if next != ".scopelock.yaml" { paths.append(next) }
        }
        return paths.sorted()
    }

    /// The bytes of a file under the scratch directory.
    func read(_ relative: String) -> Data? {
        FileManager.default.contents(atPath: directory + "/" + relative)
    }
}

extension CLI {
    /// Shell lines that make the working folder a git repository that can commit: an author, no signing.
    static let gitRepository = """
        git init -q .
        git config user.email agent@example.com
        git config user.name Agent
        git config commit.gpgsign false
        """
}
