// Entry and glob parsing, and normalisation against a repository root, on arbitrary text.
//
// Must never crash. Invariants checked:
// - a parsed entry's `text` parses again to the same entry (kind and text), both as a plain
//   entry and as a `directories` entry;
// - `ScopeError.code` is "invalid_input", its message is not empty and names the entry, and its
//   `entry` is the input; `position`, when present, points at a scalar of the entry;
// - a normalised entry's `text` parses again (lexically) to the same entry;
// - an entry compiled once matches any witness it reports against itself, and a file entry
//   matches the path it names.
import FuzzDriver
import Foundation
import ScopeLockCore

/// Reports a broken invariant and aborts, so that libFuzzer records the input.
func violated(_ what: String, _ input: String) -> Never {
    FileHandle.standardError.write(Data("invariant violated: \(what)\ninput: \(input.debugDescription)\n".utf8))
    abort()
}

/// A scratch repository root holding a few names with glob metacharacters, so that normalisation
/// also takes its "existing file with metacharacters" path. Its path is fixed (Fuzz/dict names it)
/// and it is only read once made, so parallel jobs share it.
let repositoryRoot: String = {
    let root = "/tmp/scopelock-fuzz-root"
    let manager = FileManager.default
    for directory in ["src/app/[id]", "docs", "x{y}", "lit*"] {
        try? manager.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
    }
    for file in ["src/a.py", "src/app/[id]/page.tsx", "a?b", "docs/README.md", "x{y}/z"] where !manager.fileExists(atPath: root + "/" + file) {
        _ = manager.createFile(atPath: root + "/" + file, contents: Data())
    }
    return root
}()

let normalizer = EntryNormalizer(root: repositoryRoot)

/// Checks what a `ScopeError` for `raw` must satisfy.
func checkError(_ error: ScopeError, _ raw: String) {
    if error.code != "invalid_input" { violated("code \(error.code) is not invalid_input", raw) }
    if error.message.isEmpty { violated("empty message", raw) }
    if !error.message.unicodeScalars.starts(with: "entry \"".unicodeScalars) { violated("message does not name the entry: \(error.message)", raw) }
    if !error.entry.unicodeScalars.elementsEqual(raw.unicodeScalars) { violated("error names another entry \(error.entry.debugDescription)", raw) }
    if let position = error.position, !(0..<raw.unicodeScalars.count).contains(position) {
        violated("position \(position) outside an entry of \(raw.unicodeScalars.count) scalars: \(error.message)", raw)
    }
}

/// Checks that `entry`'s text reads back as `entry`, plainly and as a `directories` entry.
func checkReparses(_ entry: ScopeEntry, _ raw: String) {
    do {
        let again = try ScopeEntry(parsing: entry.text)
        if again != entry { violated("text \(entry.text.debugDescription) reparses as \(again.kind) \(again.text.debugDescription), not \(entry.kind)", raw) }
        if entry.kind == .directory {
            let asDirectory = try ScopeEntry(parsing: entry.text, asDirectory: true)
            if asDirectory != entry { violated("directory text reparses differently with asDirectory", raw) }
        }
    } catch {
        violated("text \(entry.text.debugDescription) of a parsed entry does not parse: \(error.message)", raw)
    }
}

/// Checks the compiled matcher against itself on short entries (the self-product stays small).
func checkCompiled(_ entry: ScopeEntry, _ raw: String) {
    guard entry.text.unicodeScalars.count <= 200 else { return }
    let compiled = CompiledEntry(entry)
    if let witness = CompiledEntry.witness(compiled, compiled), !compiled.matches(witness) {
        violated("self-witness \(witness.debugDescription) is not matched by \(entry.text.debugDescription)", raw)
    }
    if entry.kind == .file {
        // A file entry names one path: its text with the escapes removed.
        var path = String.UnicodeScalarView()
        var escaped = false
        for scalar in entry.text.unicodeScalars {
            if !escaped && scalar == "\\" {
                escaped = true
                continue
            }
            escaped = false
            path.append(scalar)
        }
        let name = String(path)
        if !compiled.matches(name) && isValidPath(name) {
            violated("file entry does not match the path it names, \(name.debugDescription)", raw)
        }
    }
}

/// Non-empty segments, never `.` or `..`, no NUL (compared scalar by scalar, not by grapheme).
func isValidPath(_ path: String) -> Bool {
    let segments = path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    return !path.unicodeScalars.contains("\0") && segments.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntryParsing(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let raw = String(decoding: bytes, as: UTF8.self)

    for asDirectory in [false, true] {
        do {
            let entry = try ScopeEntry(parsing: raw, asDirectory: asDirectory)
            if asDirectory && entry.kind != .directory { violated("asDirectory gave a \(entry.kind) entry", raw) }
            if entry.kind == .directory && entry.text.unicodeScalars.last != "/" { violated("directory text lacks its /", raw) }
            if entry.text.unicodeScalars.first == "/" { violated("entry text is absolute", raw) }
            if entry.text.utf8.count > ScopeLimits.maximumEntryBytes { violated("entry text is over the limit", raw) }
            checkReparses(entry, raw)
            if !asDirectory { checkCompiled(entry, raw) }
        } catch {
            checkError(error, raw)
        }
    }

    do {
        let normalized = try normalizer.normalize(raw)
        checkReparses(normalized.entry, raw)
        do {
            let lexical = try ScopeEntry(parsing: normalized.entry.text)
            if lexical != normalized.entry { violated("normalised text reparses differently", raw) }
        } catch {
            violated("normalised text \(normalized.entry.text.debugDescription) does not parse: \(error.message)", raw)
        }
    } catch {
        checkError(error, raw)
    }
    return 0
}

/// The entry point SwiftPM links this executable with; libFuzzer's driver takes over from here.
@_cdecl("FuzzEntryParsing_main")
public func fuzzEntryParsingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    scopelock_fuzz_main(argc, argv)
}
