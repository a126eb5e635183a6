import Foundation
import Testing

/// Golden files: expected output kept in `Tests/EndToEndTests/Golden/`. Run with `SCOPELOCK_UPDATE_GOLDEN=1`
/// to write the current output instead of comparing (then read the diff before committing it).
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Expects `actual` to equal the golden file `name`.
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SCOPELOCK_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
        if actual != expected {
            let got = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(name)")
            try? actual.write(to: got, atomically: true, encoding: .utf8)
            Issue.record("diff \(url.path) \(got.path)", sourceLocation: sourceLocation)
        }
    }

    /// The repository's root folder.
    static let repository = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
