// Overlap of two entries against a brute-force oracle.
//
// The input is read as text over a small alphabet of pattern characters: a byte that is one of
// them stands for itself (so seeds and the dictionary read as written), any other byte picks one
// by its value. `|` splits the text into up to four parts of at most 16 characters each: two entries, then
// an exclude of the first entry's scope and one of the second's (an empty or missing part: no exclude).
// When both entries parse:
// - for every valid path of length 1 to 4 over {a, b, ., /}, `CompiledEntry.matches` must agree
//   with the reference matcher (ReferenceGlob.swift), for each entry;
// - when some such path is matched by both, the engine must report an overlap;
// - any witness the engine reports must be a valid path matched by both entries, according to
//   the engine and to the reference matcher;
// - overlap is symmetric.
// When an exclude parses (and the engine accepts it: ExcludeSet), the same holds for the scopes less their
// excludes: a path both scopes cover (by the reference) means an overlap, and a witness must be covered by
// both entries and excluded by neither (engine and reference).
import FuzzDriver
import Foundation
import ScopeLockCore

/// Reports a broken invariant and aborts, so that libFuzzer records the input.
func violated(_ what: String, _ left: String, _ right: String) -> Never {
    FileHandle.standardError.write(Data("invariant violated: \(what)\nleft: \(left.debugDescription)\nright: \(right.debugDescription)\n".utf8))
    abort()
}

/// What each input byte can stand for; `|` separates the two entries.
let alphabet: [Unicode.Scalar] = ["a", "b", ".", "/", "*", "?", "[", "]", "!", "^", "-", "{", "}", ",", "\\", "|"]
/// The longest entry built from the input, in characters.
let maximumPatternLength = 16

/// Every valid path of length 1 to 4 over {a, b, ., /}.
let oraclePaths: [String] = {
    var all: [String] = [""]
    var result: [String] = []
    for _ in 1...4 {
        all = all.flatMap { prefix in ["a", "b", ".", "/"].map { prefix + $0 } }
        result += all.filter(referenceIsValidPath)
    }
    return result
}()

/// Maps bytes to alphabet characters, then to two entries and each one's exclude ("" when there is none).
func entries(_ bytes: UnsafeBufferPointer<UInt8>) -> (left: String, right: String, excludeLeft: String, excludeRight: String) {
    var text = String.UnicodeScalarView()
    for byte in bytes {
        let scalar = Unicode.Scalar(byte)
        text.append(alphabet.contains(scalar) ? scalar : alphabet[Int(byte) % alphabet.count])
    }
    let parts = String(text).split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false)
    func part(_ index: Int) -> String {
        parts.count > index ? String(parts[index].filter { $0 != "|" }.prefix(maximumPatternLength)) : ""
    }
    return (part(0), part(1), part(2), part(3))
}

/// An exclude set of `raw` (none for ""), with its reference matcher, or nil when the engine refuses it.
func excludes(_ raw: String, _ left: String, _ right: String) -> (ExcludeSet, ReferenceGlob?)? {
    guard !raw.isEmpty else { return (.none, nil) }
    guard let entry = try? ScopeEntry(parsing: raw), let set = try? ExcludeSet([entry]) else { return nil }
    guard let reference = ReferenceGlob(entry.text, directory: entry.kind == .directory) else {
        violated("the engine accepts exclude \(raw.debugDescription) but the reference reading rejects it", left, right)
    }
    return (set, reference)
}

/// The entry and its reference matcher, or nil when the engine rejects the text.
func parse(_ raw: String, _ left: String, _ right: String) -> (CompiledEntry, ReferenceGlob)? {
    guard let entry = try? ScopeEntry(parsing: raw) else { return nil }
    guard let reference = ReferenceGlob(entry.text, directory: entry.kind == .directory) else {
        violated("the engine accepts \(raw.debugDescription) (text \(entry.text.debugDescription)) but the reference reading rejects it", left, right)
    }
    return (CompiledEntry(entry), reference)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOverlap(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let (left, right, excludeLeft, excludeRight) = entries(bytes)
    guard let (a, referenceA) = parse(left, left, right), let (b, referenceB) = parse(right, left, right) else { return 0 }

    var common: String?
    for path in oraclePaths {
        let inA = referenceA.matches(path)
        let inB = referenceB.matches(path)
        if a.matches(path) != inA {
            violated("matches(\(path.debugDescription)) is \(!inA) for \(a.entry.text.debugDescription) (\(a.entry.kind)); the reference says \(inA)", left, right)
        }
        if b.matches(path) != inB {
            violated("matches(\(path.debugDescription)) is \(!inB) for \(b.entry.text.debugDescription) (\(b.entry.kind)); the reference says \(inB)", left, right)
        }
        if inA && inB && common == nil { common = path }
    }

    let witness = CompiledEntry.witness(a, b)
    let reverse = CompiledEntry.witness(b, a)
    if (witness == nil) != (reverse == nil) {
        violated("overlap is not symmetric: \(String(describing: witness)) vs \(String(describing: reverse))", left, right)
    }
    if let common, witness == nil {
        violated("no overlap reported, but both match \(common.debugDescription)", left, right)
    }
    for found in [witness, reverse].compactMap({ $0 }) {
        guard referenceIsValidPath(found) else { violated("witness \(found.debugDescription) is not a valid path", left, right) }
        guard a.matches(found), b.matches(found) else {
            violated("witness \(found.debugDescription) is not matched by both entries (engine)", left, right)
        }
        guard referenceA.matches(found), referenceB.matches(found) else {
            violated("witness \(found.debugDescription) is not matched by both entries (reference)", left, right)
        }
    }
    if let (excludesA, referenceXA) = excludes(excludeLeft, left, right), let (excludesB, referenceXB) = excludes(excludeRight, left, right),
       referenceXA != nil || referenceXB != nil {
        checkExcluding(a, referenceA, excludesA, referenceXA, b, referenceB, excludesB, referenceXB, "\(left) less \(excludeLeft)", "\(right) less \(excludeRight)")
    }
    return 0
}

/// The invariants of an overlap between two scopes less their excludes.
func checkExcluding(
    _ a: CompiledEntry, _ referenceA: ReferenceGlob, _ excludesA: ExcludeSet, _ referenceXA: ReferenceGlob?,
    _ b: CompiledEntry, _ referenceB: ReferenceGlob, _ excludesB: ExcludeSet, _ referenceXB: ReferenceGlob?,
    _ left: String, _ right: String
) {
    func coveredA(_ path: String) -> Bool { referenceA.matches(path) && !(referenceXA?.matches(path) ?? false) }
    func coveredB(_ path: String) -> Bool { referenceB.matches(path) && !(referenceXB?.matches(path) ?? false) }
    for path in oraclePaths {
        if excludesA.excludes(path) != (referenceXA?.matches(path) ?? false) {
            violated("the left exclude set excludes(\(path.debugDescription)) disagrees with the reference", left, right)
        }
        if excludesB.excludes(path) != (referenceXB?.matches(path) ?? false) {
            violated("the right exclude set excludes(\(path.debugDescription)) disagrees with the reference", left, right)
        }
    }
    let common = oraclePaths.first { coveredA($0) && coveredB($0) }
    let witness = CompiledEntry.witness(a, excluding: excludesA, b, excluding: excludesB)
    let reverse = CompiledEntry.witness(b, excluding: excludesB, a, excluding: excludesA)
    if (witness == nil) != (reverse == nil) {
        violated("overlap less excludes is not symmetric: \(String(describing: witness)) vs \(String(describing: reverse))", left, right)
    }
    if let common, witness == nil {
        violated("no overlap reported, but both scopes cover \(common.debugDescription)", left, right)
    }
    for found in [witness, reverse].compactMap({ $0 }) {
        guard referenceIsValidPath(found) else { violated("witness \(found.debugDescription) is not a valid path", left, right) }
        guard coveredA(found), coveredB(found) else {
            violated("witness \(found.debugDescription) is not covered by both scopes less their excludes (reference)", left, right)
        }
        guard !excludesA.excludes(found), !excludesB.excludes(found) else {
            violated("witness \(found.debugDescription) is excluded (engine)", left, right)
        }
    }
}

/// The entry point SwiftPM links this executable with; libFuzzer's driver takes over from here.
@_cdecl("FuzzOverlap_main")
public func fuzzOverlapMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    scopelock_fuzz_main(argc, argv)
}
