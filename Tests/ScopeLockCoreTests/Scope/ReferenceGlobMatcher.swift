/// An independent, deliberately naive matcher for the glob semantics of interface.md section 2,
/// used to check the automaton-based engine: it expands braces textually, then matches segment
/// by segment with plain backtracking. Only for small patterns and paths.
struct ReferenceGlobMatcher {
    /// The expanded patterns, each split into segments.
    private let alternatives: [[[Unicode.Scalar]]]

    /// A matcher for an entry text (a trailing "/" marks a directory, the same as "/**").
    init(_ entryText: String) {
        alternatives = Self.expand(Array(entryText.unicodeScalars)).map { expanded in
            Self.split(entryText.hasSuffix("/") ? expanded + ["*", "*"] : expanded)
        }
    }

    /// Does the entry match `path`?
    func matches(_ path: String) -> Bool {
        guard Self.isValidPath(path) else { return false }
        return matches(segments: Self.segments(of: path))
    }

    /// Does the entry match the valid path whose segments (see ``segments(of:)``) are given?
    func matches(segments: [[Unicode.Scalar]]) -> Bool {
        alternatives.contains { Self.matchSegments($0[...], segments[...]) }
    }

    /// A path split at "/" into the scalars of each segment.
    static func segments(of path: String) -> [[Unicode.Scalar]] {
        path.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
    }

    /// Valid relative path: non-empty segments, never `.` or `..`, no leading or trailing `/`.
    static func isValidPath(_ path: String) -> Bool {
        guard !path.isEmpty else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != "." && $0 != ".."
        }
    }

    /// All brace-free patterns a pattern expands to (`\x` and `[...]` are left intact).
    static func expand(_ pattern: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var index = 0
        while index < pattern.count {
            switch pattern[index] {
            case "\\":
                index += 2
            case "[":
                index = endOfClass(pattern, from: index)
            case "{":
                var depth = 0
                var alternatives: [[Unicode.Scalar]] = []
                var current: [Unicode.Scalar] = []
                var cursor = index
                while cursor < pattern.count {
                    let scalar = pattern[cursor]
                    if scalar == "\\" {
                        current += pattern[cursor...min(cursor + 1, pattern.count - 1)]
                        cursor += 2
                        continue
                    }
                    if scalar == "[" && depth >= 1 {
                        let end = endOfClass(pattern, from: cursor)
                        current += pattern[cursor..<end]
                        cursor = end
                        continue
                    }
                    if scalar == "{" {
                        depth += 1
                        if depth > 1 { current.append(scalar) }
                    } else if scalar == "}" {
                        depth -= 1
                        if depth == 0 { break }
                        current.append(scalar)
                    } else if scalar == "," && depth == 1 {
                        alternatives.append(current)
                        current = []
                    } else {
                        current.append(scalar)
                    }
                    cursor += 1
                }
                alternatives.append(current)
                let prefix = Array(pattern[..<index])
                let suffix = Array(pattern[(cursor + 1)...])
                return alternatives.flatMap { expand(prefix + $0 + suffix) }
            default:
                index += 1
            }
        }
        return [pattern]
    }

    /// Index just past the class starting at `start`.
    private static func endOfClass(_ pattern: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < pattern.count, pattern[index] == "!" || pattern[index] == "^" { index += 1 }
        if index < pattern.count, pattern[index] == "]" { index += 1 }
        while index < pattern.count, pattern[index] != "]" {
            index += pattern[index] == "\\" ? 2 : 1
        }
        return index + 1
    }

    /// Splits a brace-free pattern at `/` outside classes and escapes.
    private static func split(_ pattern: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var segments: [[Unicode.Scalar]] = [[]]
        var index = 0
        while index < pattern.count {
            let scalar = pattern[index]
            if scalar == "/" {
                segments.append([])
                index += 1
            } else if scalar == "\\" && index + 1 < pattern.count && pattern[index + 1] == "/" {
                segments.append([])
                index += 2
            } else if scalar == "[" {
                let end = endOfClass(pattern, from: index)
                segments[segments.count - 1] += pattern[index..<end]
                index = end
            } else {
                segments[segments.count - 1].append(scalar)
                index += 1
            }
        }
        return segments
    }

    /// Segment-level match: a `**` segment takes zero or more path segments, or one or more when last.
    private static func matchSegments(_ patterns: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let first = patterns.first else { return path.isEmpty }
        if first == ["*", "*"] {
            let rest = patterns.dropFirst()
            if rest.isEmpty { return !path.isEmpty }
            for skip in 0...path.count where matchSegments(rest, path.dropFirst(skip)) {
                return true
            }
            return false
        }
        guard let segment = path.first else { return false }
        return matchSegment(first[...], segment[...]) && matchSegments(patterns.dropFirst(), path.dropFirst())
    }

    /// Backtracking match of one segment pattern against one path segment.
    private static func matchSegment(_ pattern: ArraySlice<Unicode.Scalar>, _ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let head = pattern.first else { return name.isEmpty }
        switch head {
        case "*":
            let rest = pattern.drop { $0 == "*" }
            for skip in 0...name.count where matchSegment(rest, name.dropFirst(skip)) {
                return true
            }
            return false
        case "?":
            return !name.isEmpty && matchSegment(pattern.dropFirst(), name.dropFirst())
        case "[":
            guard let scalar = name.first else { return false }
            let all = Array(pattern)
            let end = endOfClass(all, from: 0)
            guard classContains(Array(all[1..<(end - 1)]), scalar) else { return false }
            return matchSegment(pattern.dropFirst(end), name.dropFirst())
        case "\\":
            let literal = pattern.dropFirst().first!
            return name.first == literal && matchSegment(pattern.dropFirst(2), name.dropFirst())
        default:
            return name.first == head && matchSegment(pattern.dropFirst(), name.dropFirst())
        }
    }

    /// Membership in the body of a class (between the brackets).
    private static func classContains(_ body: [Unicode.Scalar], _ scalar: Unicode.Scalar) -> Bool {
        var items = body[...]
        var negated = false
        if let first = items.first, first == "!" || first == "^" {
            negated = true
            items = items.dropFirst()
        }
        var members: [ClosedRange<UInt32>] = []
        let list = Array(items)
        var index = 0
        func next() -> Unicode.Scalar {
            if list[index] == "\\" { index += 2; return list[index - 1] }
            index += 1
            return list[index - 1]
        }
        while index < list.count {
            let low = next()
            if index + 1 < list.count, list[index] == "-" {
                index += 1
                members.append(low.value...next().value)
            } else {
                members.append(low.value...low.value)
            }
        }
        let found = members.contains { $0.contains(scalar.value) }
        return scalar != "/" && found != negated
    }
}
