// Placeholder until the scope engine lands; literal and directory entries only.
public struct ScopeEntry: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable { case file, directory, glob }
    public let kind: Kind
    public let text: String
    public var description: String { text }
    public init(parsing raw: String, asDirectory: Bool = false) throws(ScopeError) {
        if raw.isEmpty { throw ScopeError(code: "invalid_input", entry: raw, position: nil, message: "empty entry") }
        if asDirectory || raw.hasSuffix("/") { kind = .directory; text = raw.hasSuffix("/") ? raw : raw + "/" }
        else if raw.contains(where: { "*?[{".contains($0) }) { kind = .glob; text = raw }
        else { kind = .file; text = raw }
    }
    public func overlapWitness(with other: ScopeEntry) -> String? { CompiledEntry.witness(CompiledEntry(self), CompiledEntry(other)) }
}
public struct ScopeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String; public let entry: String; public let position: Int?; public let message: String
    public var description: String { message }
}
public struct NormalizedEntry: Sendable, Equatable { public let entry: ScopeEntry; public let escapedLiteral: Bool }
public struct EntryNormalizer: Sendable {
    public let root: String
    public init(root: String) { self.root = root }
    public func normalize(_ raw: String) throws(ScopeError) -> NormalizedEntry { NormalizedEntry(entry: try ScopeEntry(parsing: raw), escapedLiteral: false) }
}
public struct CompiledEntry: Sendable {
    public let entry: ScopeEntry
    public init(_ entry: ScopeEntry) { self.entry = entry }
    public func matches(_ path: String) -> Bool { entry.kind == .directory ? path.hasPrefix(entry.text) : path == entry.text }
    public static func witness(_ a: CompiledEntry, _ b: CompiledEntry) -> String? {
        if a.entry.kind == .directory && b.entry.kind == .directory { return a.entry.text.hasPrefix(b.entry.text) ? a.entry.text + "x" : b.entry.text.hasPrefix(a.entry.text) ? b.entry.text + "x" : nil }
        if a.entry.kind == .directory { return a.matches(b.entry.text) ? b.entry.text : nil }
        if b.entry.kind == .directory { return b.matches(a.entry.text) ? a.entry.text : nil }
        return a.entry.text == b.entry.text ? a.entry.text : nil
    }
}
