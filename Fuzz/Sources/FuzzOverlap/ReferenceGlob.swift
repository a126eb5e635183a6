// An independent reading of interface.md section 2, written for the oracle: braces are expanded
// first, then each expansion is matched segment by segment with plain backtracking. It shares no
// code with the engine (which compiles entries to automata and never expands braces).

/// One element of a brace-free pattern.
enum ReferenceToken: Equatable {
    /// A literal scalar (an escaped one included).
    case literal(Unicode.Scalar)
    /// The separator `/`.
    case slash
    /// `?`.
    case any
    /// A run of one or three or more `*`.
    case star
    /// A run of exactly two `*`: a whole segment of segments when it stands alone, `*` otherwise.
    case doubleStar
    /// `[...]`: members as inclusive ranges, possibly negated.
    case set(negated: Bool, ranges: [ClosedRange<UInt32>])
}

/// A brace-expanded, segment-split pattern.
enum ReferenceSegment {
    /// `**` standing alone between separators (or at an end).
    case globstar
    /// Any other segment: a sequence of tokens without `/`.
    case tokens([ReferenceToken])
}

/// The reference matcher for one entry's text.
struct ReferenceGlob {
    /// Each brace expansion, split into segments.
    let expansions: [[ReferenceSegment]]

    /// Reads `text`, an entry's normalised text; a directory entry's text ends in `/` and means `d/**`.
    /// Returns nil when the text is not valid glob syntax under this reading.
    init?(_ text: String, directory: Bool) {
        var scalars = Array(text.unicodeScalars)
        if directory {
            guard scalars.last == "/" else { return nil }
            scalars.removeLast()
        }
        var reader = Reader(scalars: scalars)
        guard let alternatives = reader.sequence(topLevel: true), reader.index == scalars.count else { return nil }
        var result: [[ReferenceSegment]] = []
        for var tokens in alternatives {
            if directory { tokens += [.slash, .doubleStar] }
            result.append(Self.segments(tokens))
        }
        expansions = result
    }

    /// Splits tokens at separators; a segment that is exactly `**` becomes a globstar.
    private static func segments(_ tokens: [ReferenceToken]) -> [ReferenceSegment] {
        var result: [ReferenceSegment] = []
        var current: [ReferenceToken] = []
        func close() {
            result.append(current == [.doubleStar] ? .globstar : .tokens(current))
            current = []
        }
        for token in tokens {
            if token == .slash { close() } else { current.append(token) }
        }
        close()
        return result
    }

    /// Whether the valid path `path` is matched by some expansion.
    func matches(_ path: String) -> Bool {
        let segments = path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).map { Array($0) }
        return expansions.contains { Self.match($0[...], segments[...]) }
    }

    private static func match(_ pattern: ArraySlice<ReferenceSegment>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        switch first {
        case .globstar:
            if pattern.count == 1 { return !path.isEmpty } // trailing `/**` or lone `**`: one or more
            var rest = path
            while true { // `**/`: zero or more whole segments
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .tokens(let tokens):
            guard let segment = path.first, matchSegment(tokens[...], segment[...]) else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        }
    }

    private static func matchSegment(_ tokens: ArraySlice<ReferenceToken>, _ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let token = tokens.first else { return name.isEmpty }
        switch token {
        case .star, .doubleStar:
            var rest = name
            while true {
                if matchSegment(tokens.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .any:
            guard let scalar = name.first, scalar != "/" else { return false }
            return matchSegment(tokens.dropFirst(), name.dropFirst())
        case .literal(let expected):
            guard name.first == expected else { return false }
            return matchSegment(tokens.dropFirst(), name.dropFirst())
        case .set(let negated, let ranges):
            guard let scalar = name.first, scalar != "/" else { return false }
            let member = ranges.contains { $0.contains(scalar.value) }
            guard member != negated else { return false }
            return matchSegment(tokens.dropFirst(), name.dropFirst())
        case .slash:
            return false
        }
    }

    /// Recursive-descent reader producing every brace expansion as a token list.
    private struct Reader {
        let scalars: [Unicode.Scalar]
        var index = 0

        /// Reads up to the end (top level) or up to an unconsumed `,` or `}` (inside braces).
        mutating func sequence(topLevel: Bool) -> [[ReferenceToken]]? {
            var expansions: [[ReferenceToken]] = [[]]
            while index < scalars.count {
                let scalar = scalars[index]
                if !topLevel && (scalar == "," || scalar == "}") { break }
                let choices: [[ReferenceToken]]
                switch scalar {
                case "\\":
                    guard index + 1 < scalars.count else { return nil }
                    // An escaped `/` is still a separator.
                    choices = [[scalars[index + 1] == "/" ? .slash : .literal(scalars[index + 1])]]
                    index += 2
                case "/":
                    choices = [[.slash]]
                    index += 1
                case "*":
                    var run = 0
                    while index < scalars.count && scalars[index] == "*" {
                        run += 1
                        index += 1
                    }
                    choices = [[run == 2 ? .doubleStar : .star]]
                case "?":
                    choices = [[.any]]
                    index += 1
                case "[":
                    guard let set = bracket() else { return nil }
                    choices = [[set]]
                case "{":
                    index += 1
                    var alternatives: [[ReferenceToken]] = []
                    // `{}` has no alternative at all (unlike `{,x}`, whose first is empty): it matches nothing.
                    if index < scalars.count && scalars[index] == "}" {
                        index += 1
                        choices = []
                        break
                    }
                    while true {
                        guard let inner = sequence(topLevel: false), index < scalars.count else { return nil }
                        alternatives += inner
                        let closer = scalars[index]
                        index += 1
                        if closer == "}" { break }
                    }
                    choices = alternatives
                default:
                    choices = [[.literal(scalar)]]
                    index += 1
                }
                var next: [[ReferenceToken]] = []
                for prefix in expansions {
                    for choice in choices { next.append(prefix + choice) }
                }
                expansions = next
            }
            return expansions
        }

        /// `[...]` at `index`.
        mutating func bracket() -> ReferenceToken? {
            index += 1
            var negated = false
            if index < scalars.count && (scalars[index] == "!" || scalars[index] == "^") {
                negated = true
                index += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            var first = true
            while true {
                guard index < scalars.count else { return nil }
                if scalars[index] == "]" && !first {
                    index += 1
                    return .set(negated: negated, ranges: ranges)
                }
                first = false
                if scalars[index] == "[" && index + 1 < scalars.count && ":=.".unicodeScalars.contains(scalars[index + 1]) {
                    return nil
                }
                guard let low = member() else { return nil }
                if index + 1 < scalars.count && scalars[index] == "-" && scalars[index + 1] != "]" {
                    index += 1
                    guard let high = member(), low.value <= high.value else { return nil }
                    ranges.append(low.value...high.value)
                } else {
                    ranges.append(low.value...low.value)
                }
            }
        }

        mutating func member() -> Unicode.Scalar? {
            guard index < scalars.count else { return nil }
            if scalars[index] == "\\" {
                guard index + 1 < scalars.count else { return nil }
                index += 2
                return scalars[index - 1]
            }
            index += 1
            return scalars[index - 1]
        }
    }
}

/// The valid relative paths of interface.md section 2: non-empty segments, never `.` or `..`
/// (split scalar by scalar: a `/` may follow a scalar that would join it into one grapheme).
func referenceIsValidPath(_ path: String) -> Bool {
    guard !path.isEmpty, !path.unicodeScalars.contains("\0") else { return false }
    return path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
        !$0.isEmpty && !$0.elementsEqual(".".unicodeScalars) && !$0.elementsEqual("..".unicodeScalars)
    }
}
