/// One element of a parsed entry.
enum GlobNode: Sendable, Equatable {
    /// A literal scalar (escaped or not); `/` is the path separator.
    case literal(Unicode.Scalar)
    /// `?`: one scalar other than `/`.
    case anyScalar
    /// `*` (or a run of three or more stars): any run of scalars other than `/`.
    case star
    /// `**`: a whole segment of any number of segments when it stands alone, `*` otherwise.
    case globstar
    /// `[...]`: one scalar from the set (already negated where asked, never `/`).
    case characterClass(ScalarRanges)
    /// `{a,b}`: one of the alternatives.
    case alternation([[GlobNode]])
}

/// One top-level `/`-separated segment of an entry, with the source text it came from.
struct GlobSegment: Sendable, Equatable {
    /// The parsed elements; never a top-level `/`.
    var nodes: [GlobNode]
    /// The segment exactly as written (escapes kept).
    var text: String
    /// Position of the segment's first scalar in the raw entry.
    var position: Int

    /// Every element is a literal.
    var isLiteral: Bool { nodes.allSatisfy { if case .literal = $0 { true } else { false } } }

    /// The segment is exactly `text` once unescaped (for `""`, `"."` and `".."`), without building a string.
    func isLiterally(_ text: Unicode.Scalar...) -> Bool {
        nodes.count == text.count && zip(nodes, text).allSatisfy { $0 == .literal($1) }
    }

    /// The path segment this names when every element is a literal; nil for glob segments.
    var literalValue: String? {
        var value = String.UnicodeScalarView()
        for node in nodes {
            guard case .literal(let scalar) = node else { return nil }
            value.append(scalar)
        }
        return String(value)
    }
}
