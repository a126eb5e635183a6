import Foundation
import Testing

/// The JSON SchemaFiles in `schemas/` describe what the built binary really prints: every command's `--json`
/// output, success and failure, and every lock file it writes. Validation runs `Support/validate_schema.py`
/// (python3 with `jsonschema` and `referencing`), one run per schema.
@Suite struct SchemaTests {
    @Test func everySchemaIsAValidDraft202012Schema() async throws {
        let scratch = try CLI()
        let result = try await scratch.bash("python3 \(SchemaFiles.quoted(SchemaFiles.validator)) --check-schemas \(SchemaFiles.quoted(SchemaFiles.directory))")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: SchemaFiles.directory).filter { $0.hasSuffix(".schema.json") }
        for command in SchemaFiles.commands {
            #expect(files.contains("\(command)-result.schema.json"), "no schema for \(command)")
        }
        for name in ["lock-record", "error", "warning"] {
            #expect(files.contains("\(name).schema.json"))
        }
    }

    /// Grants, conflicts (with their overlaps), timeout, check, owner, overlap, renew, release, status, clear.
    @Test func lockLifecycleOutputsMatchTheirSchemas() async throws {
        var session = try SchemaSession()
        let granted = try await session.json(["acquire", "dev", "src/app/", "--task", "build the app"], schema: "acquire")
        let token = try #require((granted.json["lock"] as? [String: Any])?["token"] as? Int)
        try await session.json(["acquire", "reader", "docs/", "--shared"], schema: "acquire")
        try await session.json(["acquire", "reader2", "docs/guide.md", "--shared", "--ttl", "90m"], schema: "acquire")
        session.collectLocks()

        let refused = try await session.json(["acquire", "tester", "src/app/main_test.go", "src/app/"], schema: "acquire", error: "conflict")
        let conflicts = try #require((refused.json["error"] as? [String: Any])?["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 2)
        try await session.json(["acquire", "writer", "docs/guide.md"], schema: "acquire", error: "conflict")
        try await session.json(["acquire", "waiter", "src/app/x.go", "--wait", "1s"], schema: "acquire", error: "timeout")

        try await session.json(["check", "tester", "src/lib/", "src/lib/"], schema: "check")
        try await session.json(["check", "tester", "src/app/x.go"], schema: "check", error: "conflict")
        try await session.json(["check", "r3", "docs/", "--shared"], schema: "check")
        try await session.json(["owner", "src/app/a.go", "docs/guide.md", "other.txt"], schema: "owner")
        let overlapping = try await session.json(["overlap", "src/app/", "src/app/x.go"], schema: "overlap")
        #expect(overlapping.json["overlap"] as? Bool == true && overlapping.json["witness"] as? String == "src/app/x.go")
        let apart = try await session.json(["overlap", "a.txt", "b.txt"], schema: "overlap")
        #expect(apart.json["overlap"] as? Bool == false && apart.json["witness"] == nil)

        try await session.json(["renew", "dev", "--ttl", "2h", "--token", String(token)], schema: "renew")
        try await session.json(["renew", "dev"], schema: "renew")
        session.collectLocks()
        try await session.json(["renew", "dev", "--token", String(token + 100)], schema: "renew", error: "lost")
        try await session.json(["release", "dev", "--token", String(token + 100)], schema: "release", error: "lost")
        try await session.json(["status"], schema: "status")
        try await session.json(["status", "dev"], schema: "status")

        try await session.json(["release", "dev", "--token", String(token)], schema: "release")
        try await session.json(["release", "dev"], schema: "release", error: "not_found")
        try await session.json(["renew", "dev"], schema: "renew", error: "not_found")
        try await session.json(["status", "dev"], schema: "status", error: "not_found")
        try await session.json(["release", "reader", "--force"], schema: "release")
        try await session.json(["clear"], schema: "clear", error: "conflict")
        try await session.json(["clear", "--force"], schema: "clear")
        try await session.json(["clear"], schema: "clear")
        try await session.json(["status"], schema: "status")
        try await session.json(["prune"], schema: "prune")
        try await session.validate()
    }

    /// Expired records (overwrote_expired, prune, lost), hand-written records, and invalid records (invalid_lock).
    @Test func expiredAndInvalidRecordOutputsMatchTheirSchemas() async throws {
        var session = try SchemaSession()
        try session.cli.write("locks/old.lock", SchemaFiles.expired(agent: "old", file: "a.txt"))
        try session.cli.write("locks/seed.lock", """
        {
          "agent": "seed",
          "locked_at": "2026-01-15T10:30:00.250+02:00",
          "files": [],
          "directories": ["backend/pkg/integrations/qualys/"],
          "task_description": "Implement Qualys integration client and collector",
          "expires_at": "2999-01-15T11:30:00Z",
          "ticket": "ENG-42"
        }
        """)
        session.collectLocks()
        try await session.json(["status"], schema: "status")
        let checked = try await session.json(["check", "newcomer", "a.txt"], schema: "check")
        #expect((checked.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "overwrote_expired")
        let mine = try await session.json(["acquire", "old", "b.txt"], schema: "acquire")
        #expect((mine.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "overwrote_expired")

        try session.cli.write("locks/gone.lock", SchemaFiles.expired(agent: "gone", file: "c.txt"))
        try await session.json(["prune", "--dry-run"], schema: "prune")
        let other = try await session.json(["acquire", "new", "c.txt"], schema: "acquire")
        #expect((other.json["warnings"] as? [[String: Any]])?.first?["message"] as? String == "Overwriting expired lock for gone")

        try session.cli.write("locks/late.lock", SchemaFiles.expired(agent: "late", file: "d.txt", token: 3))
        try session.cli.write("locks/stale.lock", SchemaFiles.expired(agent: "stale", file: "e.txt"))
        session.collectLocks()
        try await session.json(["renew", "late"], schema: "renew", error: "lost")
        let late = try await session.json(["release", "late"], schema: "release")
        #expect((late.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "expired")
        try await session.json(["renew", "seed", "--ttl", "1h"], schema: "renew")
        try await session.json(["owner", "backend/pkg/integrations/qualys/client.go", "b.txt"], schema: "owner")
        try await session.json(["prune"], schema: "prune")
        try await session.json(["prune", "--dry-run"], schema: "prune")
        try await session.json(["clear"], schema: "clear", error: "conflict")
        session.collectLocks()

        let invalid = ["broken", "wrongtype"]
        try session.cli.write("locks/broken.lock", "{not json")
        try session.cli.write("locks/wrongtype.lock", #"{"agent": "wrongtype", "locked_at": "2026-01-01T00:00:00Z", "files": "a", "expires_at": "2999-01-01T00:00:00Z"}"#)
        let status = try await session.json(["status"], schema: "status")
        #expect((status.json["locks"] as? [[String: Any]])?.contains { $0["state"] as? String == "invalid" } == true)
        try await session.json(["acquire", "x", "z.txt"], schema: "acquire", error: "invalid_lock")
        try await session.json(["check", "x", "z.txt"], schema: "check", error: "invalid_lock")
        try await session.json(["owner", "z.txt"], schema: "owner", error: "invalid_lock")
        try await session.json(["renew", "broken"], schema: "renew", error: "invalid_lock")
        try await session.json(["release", "broken"], schema: "release", error: "invalid_lock")
        try await session.json(["clear"], schema: "clear", error: "invalid_lock")
        try await session.json(["prune"], schema: "prune")
        let forced = try await session.json(["release", "broken", "--force"], schema: "release")
        #expect(forced.json["released"] == nil)
        #expect((forced.json["warnings"] as? [[String: Any]])?.first?["code"] as? String == "removed_invalid")
        try await session.json(["release", "wrongtype", "--force", "--token", "9"], schema: "release")
        session.collectLocks(skipping: Set(invalid))
        try await session.json(["clear", "--force"], schema: "clear")
        try await session.validate()
    }

    /// Invalid input, from the operations and from the argument parser, for every command.
    @Test func invalidInputOutputsMatchTheirSchemas() async throws {
        var session = try SchemaSession()
        let cases: [(String, [String])] = [
            ("acquire", ["acquire", "../bad", "x.txt"]),
            ("acquire", ["acquire", "a"]),
            ("acquire", ["acquire", "a", "x.txt", "--ttl", "soon"]),
            ("acquire", ["acquire", "a", "x.txt", "--wait", "0"]),
            ("acquire", ["acquire", "a", ""]),
            ("acquire", ["acquire"]),
            ("release", ["release", "bad/name"]),
            ("release", ["release", "a", "--token", "abc"]),
            ("release", ["release"]),
            ("renew", ["renew", "a b"]),
            ("renew", ["renew", "a", "--ttl", "0"]),
            ("renew", ["renew"]),
            ("status", ["status", "bad/name"]),
            ("status", ["status", "a", "b"]),
            ("check", ["check", "a"]),
            ("check", ["check", "..", "x.txt"]),
            ("check", ["check", "a", ""]),
            ("owner", ["owner"]),
            ("owner", ["owner", ""]),
            ("overlap", ["overlap", "", "b"]),
            ("overlap", ["overlap", "a"]),
            ("prune", ["prune", "--bogus"]),
            ("clear", ["clear", "--bogus"]),
        ]
        for (schema, arguments) in cases {
            try await session.json(arguments, schema: schema, error: "invalid_input")
        }
        try await session.validate()
    }

    /// A locks directory that is a symbolic link is refused by every command that uses it.
    @Test func unsafeDirectoryOutputsMatchTheirSchemas() async throws {
        var session = try SchemaSession()
        try FileManager.default.createDirectory(atPath: session.cli.directory + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: session.cli.directory + "/locks", withDestinationPath: "elsewhere")
        let cases: [(String, [String])] = [
            ("acquire", ["acquire", "a", "x.txt"]),
            ("release", ["release", "a"]),
            ("renew", ["renew", "a"]),
            ("status", ["status"]),
            ("check", ["check", "a", "x.txt"]),
            ("owner", ["owner", "x.txt"]),
            ("prune", ["prune"]),
            ("clear", ["clear", "--force"]),
        ]
        for (schema, arguments) in cases {
            try await session.json(arguments, schema: schema, error: "unsafe_directory")
        }
        try await session.validate()
    }

    /// The validation is not vacuous: real outputs and records, deliberately broken, are rejected line by line,
    /// while the originals (and a record with an unknown field) pass.
    @Test func brokenOutputsAreRejected() async throws {
        let cli = try CLI()
        let granted = try await cli.run(["acquire", "dev", "src/app/", "--json"])
        let refused = try await cli.run(["acquire", "tester", "src/app/x.go", "--json"])
        let record = String(decoding: try #require(cli.read("locks/dev.lock")), as: UTF8.self)
        let success = try #require(try JSONSerialization.jsonObject(with: Data(granted.stdout.utf8)) as? [String: Any])
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])
        let lockFile = try #require(try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])

        func mutated(_ object: [String: Any], _ change: (inout [String: Any]) -> Void) throws -> String {
            var copy = object
            change(&copy)
            return String(decoding: try JSONSerialization.data(withJSONObject: copy), as: UTF8.self)
        }
        func inLock(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { object in
                var lock = object["lock"] as! [String: Any]
                change(&lock)
                object["lock"] = lock
            }
        }
        func inError(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { object in
                var error = object["error"] as! [String: Any]
                change(&error)
                object["error"] = error
            }
        }
        func inFirstConflict(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            inError { error in
                var conflicts = error["conflicts"] as! [[String: Any]]
                change(&conflicts[0])
                error["conflicts"] = conflicts
            }
        }

        let brokenAcquires = [
            try mutated(success, inLock { $0["token"] = nil }),
            try mutated(success) { $0["extra"] = 1 },
            try mutated(success, inLock { $0["expires_at"] = "tomorrow" }),
            try mutated(success, inLock { $0["locked_at"] = "2026-01-01T00:00:00+01:00" }),
            try mutated(success) { $0["ok"] = false },
            try mutated(success, inLock { $0["mode"] = "read" }),
            try mutated(success) { $0["warnings"] = [[String: Any]]() },
            try mutated(success) { $0["warnings"] = [["code": "overwrote_expired", "message": "something else"]] },
            try mutated(failure, inError { $0["code"] = "conflicted" }),
            try mutated(failure, inError { $0["message"] = nil }),
            try mutated(failure, inError { $0["conflicts"] = [[String: Any]]() }),
            try mutated(failure, inError { $0["hint"] = "x" }),
            try mutated(failure, inFirstConflict { $0["witness"] = nil }),
            try mutated(failure, inFirstConflict { $0["extra"] = true }),
            try mutated(failure) { $0["lock"] = success["lock"] },
            #"{"ok": "yes"}"#,
            "not json",
        ]
        let brokenRecords = [
            try mutated(lockFile) { $0["files"] = nil },
            try mutated(lockFile) { $0["agent"] = "../x" },
            try mutated(lockFile) { $0["token"] = "7" },
            try mutated(lockFile) { $0["locked_at"] = "2026-13-01T00:00:00Z" },
            try mutated(lockFile) { $0["mode"] = "sharedish" },
            try mutated(lockFile) { $0["directories"] = "src/app/" },
        ]
        let scratch = try CLI()
        let rejectedAcquires = try await SchemaFiles.validate(brokenAcquires, against: "acquire-result.schema.json", in: scratch)
        let rejectedRecords = try await SchemaFiles.validate(brokenRecords, against: "lock-record.schema.json", in: scratch)
        for (result, count) in [(rejectedAcquires, brokenAcquires.count), (rejectedRecords, brokenRecords.count)] {
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            for number in 1...count {
                #expect(lines.contains { $0.hasPrefix("\(number): ") }, "line \(number) was not rejected:\n\(result.stdout)")
            }
        }

        // The originals, and the same objects re-serialised the way the broken ones were, pass.
        let originals = [granted.stdout, refused.stdout, try mutated(success) { _ in }, try mutated(failure) { _ in }]
        let accepted = try await SchemaFiles.validate(originals, against: "acquire-result.schema.json", in: scratch)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        let records = [
            record.replacingOccurrences(of: "\n", with: " "),
            try mutated(lockFile) { _ in },
            try mutated(lockFile) { $0["ticket"] = "ENG-42"; $0["pid"] = nil; $0["host"] = nil; $0["token"] = nil },
            #"{"agent": "seed", "locked_at": "2026-01-15 10:30:00.25+02:00", "files": [], "expires_at": "2026-01-15T11:30:00z", "directories": null}"#,
        ]
        let acceptedRecords = try await SchemaFiles.validate(records, against: "lock-record.schema.json", in: scratch)
        #expect(acceptedRecords.status == 0, "\(acceptedRecords.stdout)\(acceptedRecords.stderr)")
    }
}

/// Where the schemas and the validator are, and how to run it.
enum SchemaFiles {
    /// The commands that have a `<command>-result.schema.json`.
    static let commands = ["acquire", "release", "renew", "status", "check", "owner", "overlap", "prune", "clear", "where", "init"]

    /// `Tests/EndToEndTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The repository's `schemas/` folder.
    static let directory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schemas").path
    static let validator = testsDirectory.appendingPathComponent("Support/validate_schema.py").path

    /// Runs the validator on `lines` (one JSON instance each) against the schema file `schema`, in `scratch`.
    static func validate(_ lines: [String], against schema: String, in scratch: CLI) async throws -> CLI.Result {
        let file = "instances-\(UUID().uuidString.prefix(8)).jsonl"
        try scratch.write(file, lines.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: "\n") + "\n")
        return try await scratch.bash("python3 \(quoted(validator)) \(quoted(directory + "/" + schema)) < \(quoted(file))")
    }

    /// `text` quoted for bash.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// A hand-written, long-expired record in the seed's style.
    static func expired(agent: String, file: String, token: Int? = nil) -> String {
        let tokenField = token.map { #", "token": \#($0)"# } ?? ""
        return #"{"agent": "\#(agent)", "locked_at": "2020-01-01T00:00:00Z", "files": ["\#(file)"], "expires_at": "2020-01-01T01:00:00Z"\#(tokenField)}"#
    }

    /// The exit status the contract gives each error code.
    static let exitStatus: [String: Int32] = [
        "conflict": 1, "not_owner": 1, "not_found": 1, "lost": 1, "guard_violation": 1,
        "invalid_input": 2,
        "invalid_lock": 3, "io_error": 3, "unsafe_directory": 3, "plugin_error": 3,
        "timeout": 4,
    ]
}

/// One scratch directory, and the outputs and lock files gathered in it, validated together at the end.
struct SchemaSession {
    let cli: CLI
    /// Schema file name → JSON instances, one per line.
    private var instances: [String: [String]] = [:]
    private var seenRecords: Set<String> = []

    init() throws { cli = try CLI() }

    /// A session gathering outputs of commands run in `cli`'s directory by other means.
    init(cli: CLI) { self.cli = cli }

    /// Keeps an output already run for `<schema>-result.schema.json`.
    mutating func keep(_ result: CLI.Result, schema: String) {
        instances["\(schema)-result.schema.json", default: []].append(result.stdout)
    }

    /// Runs `scopelock ARGUMENTS --json`, checks the envelope (one line, `ok`, error code, exit status), and keeps
    /// the output for `<schema>-result.schema.json`.
    @discardableResult
    mutating func json(
        _ arguments: [String], schema: String, error code: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CLI.Result {
        let result = try await cli.run(arguments + ["--json"])
        let shown = "scopelock \(arguments.joined(separator: " ")) --json → \(result.status)\n\(result.stdout)\(result.stderr)"
        #expect(result.stdout.hasSuffix("\n") && result.stdout.dropLast().split(separator: "\n").count == 1,
                "not exactly one line of JSON: \(shown)", sourceLocation: sourceLocation)
        #expect(result.json["ok"] as? Bool == (code == nil), "\(shown)", sourceLocation: sourceLocation)
        #expect(result.errorCode == code, "\(shown)", sourceLocation: sourceLocation)
        #expect(result.status == (code.map { SchemaFiles.exitStatus[$0] ?? -1 } ?? 0), "\(shown)", sourceLocation: sourceLocation)
        instances["\(schema)-result.schema.json", default: []].append(result.stdout)
        return result
    }

    /// Keeps every `locks/*.lock` file now present (except `skipping` agents) for `lock-record.schema.json`.
    mutating func collectLocks(skipping: Set<String> = []) {
        let locks = cli.directory + "/locks"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: locks)) ?? []
        for name in names.sorted() where name.hasSuffix(".lock") && !name.hasPrefix(".") {
            guard !skipping.contains(String(name.dropLast(".lock".count))),
                  let data = FileManager.default.contents(atPath: locks + "/" + name)
            else { continue }
            // JSON strings cannot hold raw newlines, so joining the lines keeps the document intact.
            let line = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            if seenRecords.insert(line).inserted {
                instances["lock-record.schema.json", default: []].append(line)
            }
        }
    }

    /// Validates everything gathered, one validator run per schema.
    func validate(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let scratch = try CLI()
        for (schema, lines) in instances.sorted(by: { $0.key < $1.key }) {
            let result = try await SchemaFiles.validate(lines, against: schema, in: scratch)
            #expect(result.status == 0, "\(schema):\n\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        }
    }
}
