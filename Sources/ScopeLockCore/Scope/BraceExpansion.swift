/// Expands the `{...}` groups of an entry's text into the plain glob texts they stand for, so each can be
/// normalised on its own (interface.md section 1: normalisation applies inside every alternative).
///
/// It reads the syntax exactly as `GlobParser` does (escapes, classes, nested groups) and is used only on text
/// the parser accepted. Escapes and classes are copied as written; a `,` or `}` that is literal (outside any
/// group) is written escaped, so an expansion can stand as an alternative of a new group.
enum BraceExpansion {
    /// The expansions of `raw`, in order, or nil when there are more than `limit`.
    static func expand(_ raw: String, limit: Int) -> [String]? {
        var reader = Reader(scalars: Array(raw.unicodeScalars), limit: limit)
        return reader.sequence(depth: 0)?.map { String(String.UnicodeScalarView($0)) }
    }

    private struct Reader {
        let scalars: [Unicode.Scalar]
        let limit: Int
        var index = 0

        /// The expansions of elements from `index` up to an unnested `,` or `}` (when `depth` > 0) or the end.
        mutating func sequence(depth: Int) -> [[Unicode.Scalar]]? {
            var results: [[Unicode.Scalar]] = [[]]
            func appendToAll(_ piece: [Unicode.Scalar]) {
                for position in results.indices { results[position] += piece }
            }
            while index < scalars.count {
                let scalar = scalars[index]
                switch scalar {
                case ",", "}" where depth > 0:
                    return results
                case ",", "}":
                    appendToAll(["\\", scalar])
                    index += 1
                case "\\":
                    let end = min(index + 2, scalars.count)
                    var piece = Array(scalars[index..<end])
                    if piece.count == 2, piece[1] == "," || piece[1] == "}" { piece = ["\\", piece[1]] }
                    appendToAll(piece)
                    index = end
                case "[":
                    appendToAll(characterClass())
                case "{":
                    guard let alternatives = group(depth: depth + 1) else { return nil }
                    var product: [[Unicode.Scalar]] = []
                    for prefix in results {
                        for alternative in alternatives {
                            product.append(prefix + alternative)
                            if product.count > limit { return nil }
                        }
                    }
                    results = product
                default:
                    appendToAll([scalar])
                    index += 1
                }
            }
            return results
        }

        /// `{a,b,...}` at `index`: every alternative's expansions, in order (none for `{}`).
        mutating func group(depth: Int) -> [[Unicode.Scalar]]? {
            index += 1
            if index < scalars.count, scalars[index] == "}" {
                index += 1
                return []
            }
            var alternatives: [[Unicode.Scalar]] = []
            while index < scalars.count {
                guard let expansions = sequence(depth: depth) else { return nil }
                alternatives += expansions
                if alternatives.count > limit { return nil }
                let closing = index < scalars.count ? scalars[index] : "}"
                index += 1
                if closing == "}" { break }
            }
            return alternatives
        }

        /// `[...]` at `index`, copied as written (same reading as `GlobParser.parseClass`).
        mutating func characterClass() -> [Unicode.Scalar] {
            let start = index
            index += 1
            if index < scalars.count, scalars[index] == "!" || scalars[index] == "^" { index += 1 }
            var isFirst = true
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "]" && !isFirst {
                    index += 1
                    break
                }
                isFirst = false
                index += scalar == "\\" ? 2 : 1
            }
            index = min(index, scalars.count)
            return Array(scalars[start..<index])
        }
    }
}
