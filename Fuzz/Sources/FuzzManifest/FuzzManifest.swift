// The manifest loader on arbitrary text (YAML or JSON).
//
// Must never crash and never hang (libFuzzer's -timeout). Invariants checked:
// - a refusal is `invalid_input` with a message that starts with the manifest's path;
// - in an accepted manifest every agent name is unique, every `depends_on` target is an agent,
//   and every file and directory entry is in normalised form: it parses again to itself, with
//   directories ending in `/` and files not.
import FuzzDriver
import Foundation
import ScopeLockCore

/// Reports a broken invariant and aborts, so that libFuzzer records the input.
func violated(_ what: String, _ text: String) -> Never {
    FileHandle.standardError.write(Data("invariant violated: \(what)\ninput: \(String(text.prefix(2000)).debugDescription)\n".utf8))
    abort()
}

/// An empty scratch folder that is the current directory, the manifest's folder and the root.
let folder: String = {
    let path = NSTemporaryDirectory() + "scopelock-fuzz-manifest-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path + "/src", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path + "/src/a.py", contents: Data())
    _ = FileManager.default.changeCurrentDirectoryPath(path)
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "scopelock-fuzz-manifest-\(getpid())") }
    return path
}()

let loader = ManifestLoader(explicitRoot: nil)
let manifestPath = "fuzz/MANIFEST.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let text = String(decoding: bytes, as: UTF8.self)
    let manifest: Manifest
    do {
        manifest = try loader.parse(text, path: manifestPath, folder: folder)
    } catch {
        if error.code.rawValue != "invalid_input" { violated("refused with \(error.code.rawValue), not invalid_input: \(error.message)", text) }
        if !error.message.unicodeScalars.starts(with: manifestPath.unicodeScalars) { violated("message does not name the file: \(error.message)", text) }
        return 0
    }

    var names: Set<String> = []
    for agent in manifest.agents where !names.insert(agent.name).inserted {
        violated("duplicate agent \(agent.name) accepted", text)
    }
    for agent in manifest.agents {
        for target in agent.dependsOn where !names.contains(target) {
            violated("\(agent.name) depends on unknown \(target)", text)
        }
        for (entries, directory) in [(agent.files, false), (agent.directories, true)] {
            for written in entries {
                guard let entry = try? ScopeEntry(parsing: written) else {
                    violated("entry \(written.debugDescription) does not parse again", text)
                }
                if !entry.text.unicodeScalars.elementsEqual(written.unicodeScalars) {
                    violated("entry \(written.debugDescription) is not normalised (\(entry.text.debugDescription))", text)
                }
                if (entry.kind == .directory) != directory {
                    violated("entry \(written.debugDescription) is filed under the wrong kind", text)
                }
            }
        }
    }
    return 0
}

/// The entry point SwiftPM links this executable with; libFuzzer's driver takes over from here.
@_cdecl("FuzzManifest_main")
public func fuzzManifestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    scopelock_fuzz_main(argc, argv)
}
