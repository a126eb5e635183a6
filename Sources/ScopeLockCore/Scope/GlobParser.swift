/// Parses the text of one entry into top-level segments of glob elements, validating the syntax.
///
/// Positions in errors count Unicode scalars from 0 in the raw entry. In `.plain` mode every
/// scalar is literal (used to test whether the entry names an existing file as written).
struct GlobParser {
    /// How the text is read.
    enum Mode {
        /// Glob syntax: `\`, `*`, `?`, `[...]`, `{...}`.
        case glob
        /// Every scalar is literal; only `/` separates segments.
        case plain
    }

    private let raw: String
    private let scalars: [Unicode.Scalar]
    /// Where each scalar starts in `raw`, and `raw`'s end: segment texts are sliced from `raw`, not rebuilt.
    private let scalarStarts: [String.Index]
    private let mode: Mode
    private var index = 0
    private var braceGroups = 0

    private init(raw: String, mode: Mode) {
        self.raw = raw
        self.scalars = Array(raw.unicodeScalars)
        self.scalarStarts = Array(raw.unicodeScalars.indices) + [raw.unicodeScalars.endIndex]
        self.mode = mode
    }

    /// The segments of `raw`, including empty ones (a leading `/`, `//`, a trailing `/`).
    static func segments(of raw: String, mode: Mode) throws(ScopeError) -> [GlobSegment] {
        if raw.isEmpty { throw .empty() }
        if raw.utf8.count > ScopeLimits.maximumEntryBytes { throw .tooLong(raw) }
        for (position, scalar) in raw.unicodeScalars.enumerated() {
            switch scalar {
            case "\0": throw .forbiddenCharacter(raw, at: position, name: "a NUL character")
            case "\n", "\r": throw .forbiddenCharacter(raw, at: position, name: "a line break")
            default: continue
            }
        }
        var parser = GlobParser(raw: raw, mode: mode)
        return try parser.parseSegments()
    }

    private mutating func parseSegments() throws(ScopeError) -> [GlobSegment] {
        var segments: [GlobSegment] = []
        var nodes: [GlobNode] = []
        var start = 0
        func close(_ end: Int) {
            let text = String(Substring(raw.unicodeScalars[scalarStarts[start]..<scalarStarts[end]]))
            segments.append(GlobSegment(nodes: nodes, text: text, position: start))
            nodes = []
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "/" {
                close(index)
                index += 1
                start = index
            } else if mode == .glob, scalar == "\\", index + 1 < scalars.count, scalars[index + 1] == "/" {
                close(index)
                index += 2
                start = index
            } else {
                nodes.append(try parseElement(depth: 0))
            }
        }
        close(scalars.count)
        return segments
    }

    /// One element starting at `index`; `depth` is the number of enclosing `{` groups.
    private mutating func parseElement(depth: Int) throws(ScopeError) -> GlobNode {
        let scalar = scalars[index]
        if mode == .plain {
            index += 1
            return .literal(scalar)
        }
        switch scalar {
        case "\\":
            guard index + 1 < scalars.count else { throw .trailingBackslash(raw, at: index) }
            index += 2
            return .literal(scalars[index - 1])
        case "*":
            var run = 0
            while index < scalars.count, scalars[index] == "*" {
                run += 1
                index += 1
            }
            return run == 2 ? .globstar : .star
        case "?":
            index += 1
            return .anyScalar
        case "[":
            return try parseClass()
        case "{":
            return try parseAlternation(depth: depth + 1)
        default:
            index += 1
            return .literal(scalar)
        }
    }

    /// `{a,b,...}` at `index`; alternatives may be empty, hold `/` and nest.
    private mutating func parseAlternation(depth: Int) throws(ScopeError) -> GlobNode {
        let open = index
        if depth > ScopeLimits.maximumBraceDepth { throw .bracesTooDeep(raw, at: open) }
        braceGroups += 1
        if braceGroups > ScopeLimits.maximumBraceGroups { throw .tooManyBraceGroups(raw, at: open) }
        index += 1
        // `{}` has no alternative at all (unlike `{,x}`, whose first alternative is empty): it matches nothing.
        if index < scalars.count, scalars[index] == "}" {
            index += 1
            return .alternation([])
        }
        var alternatives: [[GlobNode]] = []
        var current: [GlobNode] = []
        while index < scalars.count {
            switch scalars[index] {
            case ",":
                alternatives.append(current)
                current = []
                index += 1
            case "}":
                alternatives.append(current)
                index += 1
                return .alternation(alternatives)
            default:
                current.append(try parseElement(depth: depth))
            }
        }
        throw .unbalancedBrace(raw, at: open)
    }

    /// `[...]` at `index`: `!` or `^` negates, `]` first is literal, `a-z` ranges, `\x` literal.
    private mutating func parseClass() throws(ScopeError) -> GlobNode {
        let open = index
        index += 1
        var negated = false
        if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" {
            negated = true
            index += 1
        }
        var members: [ClosedRange<UInt32>] = []
        var isFirst = true
        while true {
            guard index < scalars.count else { throw .unbalancedBracket(raw, at: open) }
            let scalar = scalars[index]
            if scalar == "]" && !isFirst {
                index += 1
                break
            }
            isFirst = false
            if scalar == "[", index + 1 < scalars.count, [":", "=", "."].contains(scalars[index + 1]) {
                throw .posixClass(raw, at: index)
            }
            let lowPosition = index
            let low = try classMember(open: open)
            if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] != "]" {
                index += 1
                let high = try classMember(open: open)
                guard low.value <= high.value else {
                    throw .emptyRange(raw, at: lowPosition, low: low, high: high)
                }
                members.append(low.value...high.value)
            } else {
                members.append(low.value...low.value)
            }
        }
        var set = ScalarRanges(ranges: members).intersection(.universe)
        if negated { set = ScalarRanges.universe.subtracting(set) }
        return .characterClass(set.intersection(.nonSlash))
    }

    /// One member scalar of a class at `index`, unescaping `\x`.
    private mutating func classMember(open: Int) throws(ScopeError) -> Unicode.Scalar {
        let scalar = scalars[index]
        if scalar == "\\" {
            guard index + 1 < scalars.count else { throw .unbalancedBracket(raw, at: open) }
            index += 2
            return scalars[index - 1]
        }
        index += 1
        return scalar
    }
}
