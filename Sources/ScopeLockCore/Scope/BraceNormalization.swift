/// Normalisation inside braces (interface.md section 1): `{src/,lib/}/x.go` covers `src/x.go`, as expanding the
/// braces and normalising each alternative would. Entries whose groups hold no `/`, `.` or `..` segment and no
/// empty whole-segment alternative are already normal and keep their text.
enum BraceNormalization {
    /// One normalised expansion: its segments (as written, escapes kept) and whether it names a directory.
    struct Alternative: Equatable {
        var segments: [String]
        var directory: Bool
    }

    /// Whether `raw`'s expansions are not all already normal (an empty, `.` or `..` segment, a leading `/`, or a
    /// trailing `/` that `raw` itself does not end with), so the entry must be normalised alternative by
    /// alternative. With more expansions than `limit`, whether some group could produce such a segment.
    static func isNeeded(_ raw: String, limit: Int) throws(ScopeError) -> Bool {
        guard let expansions = BraceExpansion.expand(raw, limit: limit) else {
            return isNeeded(try GlobParser.segments(of: raw, mode: .glob))
        }
        if expansions.isEmpty { return true }
        let directory = raw.hasSuffix("/")
        for text in expansions {
            var segments = text.split(separator: "/", omittingEmptySubsequences: false)
            if directory, segments.count > 1, segments.last?.isEmpty == true { segments.removeLast() }
            if segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { return true }
        }
        return false
    }

    /// Whether some group in `segments` (as parsed, before lexical resolution) could produce a `/`, an empty,
    /// `.` or `..` segment once expanded, or a `..` segment could remove a group (so `a/{}/..` is judged by
    /// its expansions, of which it has none).
    static func isNeeded(_ segments: [GlobSegment]) -> Bool {
        if segments.contains(where: { $0.isLiterally(".", ".") }) { return true }
        return segments.contains { segment in
            segment.nodes.contains { node in
                needsExpansion(node, wholeSegment: segment.nodes.count == 1)
            }
        }
    }

    private static func needsExpansion(_ node: GlobNode, wholeSegment: Bool) -> Bool {
        guard case .alternation(let alternatives) = node else { return false }
        return alternatives.contains { alternative in
            if alternative.contains(.literal("/")) { return true }
            if wholeSegment, alternative.isEmpty || alternative == [.literal(".")] || alternative == [.literal("."), .literal(".")] {
                return true
            }
            return alternative.contains { needsExpansion($0, wholeSegment: wholeSegment && alternative.count == 1) }
        }
    }

    /// The text (and directory-ness) of one entry covering exactly the alternatives: their common leading
    /// literal folders, then a group of what remains (a directory alternative among files written `d/**`).
    /// Nil when there is no alternative.
    static func join(_ alternatives: [Alternative]) -> (text: String, directory: Bool)? {
        var unique: [Alternative] = []
        for alternative in alternatives where !unique.contains(alternative) { unique.append(alternative) }
        guard let first = unique.first else { return nil }
        if unique.count == 1 { return (first.segments.joined(separator: "/") + (first.directory ? "/" : ""), first.directory) }
        let allDirectories = unique.allSatisfy(\.directory)
        var common = 0
        while unique.allSatisfy({ $0.segments.count > common + 1 }),
              !ScopeEntry.hasMetacharacters(first.segments[common]),
              unique.allSatisfy({ $0.segments[common] == first.segments[common] }) {
            common += 1
        }
        var rests: [String] = []
        for alternative in unique {
            var rest = alternative.segments.dropFirst(common).joined(separator: "/")
            if alternative.directory, !allDirectories { rest += "/**" }
            if !rests.contains(rest) { rests.append(rest) }
        }
        let prefix = first.segments.prefix(common).map { $0 + "/" }.joined()
        let group = rests.count == 1 ? rests[0] : "{" + rests.joined(separator: ",") + "}"
        return (prefix + group + (allDirectories ? "/" : ""), allDirectories)
    }
}
