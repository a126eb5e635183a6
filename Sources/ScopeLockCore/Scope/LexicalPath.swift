/// Lexical normalisation of an entry's segments: drops empty and `.` segments and resolves `..`,
/// without touching the filesystem.
///
/// Only top-level segments take part: a `/`, `.` or `..` inside `{...}` is left as written.
struct LexicalPath: Sendable {
    /// The remaining segments, none empty, `.` or `..`.
    var segments: [GlobSegment]
    /// The entry began with `/`.
    var isAbsolute: Bool
    /// The entry ended with `/`, `/.` or `/..`, so it names a directory.
    var namesDirectory: Bool

    /// Resolves `raw`'s segments; `..` above the start is an error for a relative entry and
    /// stays at `/` for an absolute one.
    init(resolving raw: [GlobSegment], entry: String) throws(ScopeError) {
        isAbsolute = raw.count > 1 && raw[0].nodes.isEmpty
        let last = raw.last
        namesDirectory = raw.count > 1 && last.map { $0.isLiterally() || $0.isLiterally(".") || $0.isLiterally(".", ".") } == true
        segments = []
        for segment in raw {
            if segment.isLiterally() || segment.isLiterally(".") {
                continue
            } else if segment.isLiterally(".", ".") {
                if segments.isEmpty {
                    if !isAbsolute { throw .escapesRoot(entry, at: segment.position) }
                } else {
                    segments.removeLast()
                }
            } else {
                segments.append(segment)
            }
        }
    }

    /// Removes the leading segments equal to `prefix` (compared as written); nil when they differ.
    func removingPrefix(_ prefix: [String]) -> [GlobSegment]? {
        guard segments.count >= prefix.count else { return nil }
        for (segment, name) in zip(segments, prefix) where segment.text != name {
            return nil
        }
        return Array(segments.dropFirst(prefix.count))
    }
}
