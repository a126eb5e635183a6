extension ScopeError {
    /// The entry is the empty string.
    static func empty() -> ScopeError {
        ScopeError(entry: "", problem: "an entry cannot be empty; give a path relative to the repository root")
    }

    /// The entry holds a NUL or line-break character.
    static func forbiddenCharacter(_ entry: String, at position: Int, name: String) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "\(name) at position \(position) is not allowed in an entry")
    }

    /// The entry is longer than ``ScopeLimits/maximumEntryBytes``.
    static func tooLong(_ entry: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "\(entry.utf8.count) bytes is longer than the limit of \(ScopeLimits.maximumEntryBytes) bytes for one entry; use a shorter path or a glob")
    }

    /// The normalised (escaped) text would be longer than ``ScopeLimits/maximumEntryBytes``.
    static func tooLongWhenWritten(_ entry: String, bytes: Int) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "written normalised it takes \(bytes) bytes, longer than the limit of \(ScopeLimits.maximumEntryBytes) bytes for one entry; use a shorter path or a glob")
    }

    /// Braces nest deeper than ``ScopeLimits/maximumBraceDepth``.
    static func bracesTooDeep(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "\"{\" at position \(position) nests braces more than \(ScopeLimits.maximumBraceDepth) deep; flatten the alternatives")
    }

    /// More `{...}` groups than one entry may hold.
    static func tooManyBraceGroups(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "\"{\" at position \(position) is group \(ScopeLimits.maximumBraceGroups + 1); an entry holds at most \(ScopeLimits.maximumBraceGroups) brace groups; split it into several entries")
    }

    /// A `[` without its closing `]`.
    static func unbalancedBracket(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "unbalanced \"[\" at position \(position); close the class with \"]\" or write \"\\[\" for a literal bracket")
    }

    /// A `{` without its closing `}`.
    static func unbalancedBrace(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "unbalanced \"{\" at position \(position); close the group with \"}\" or write \"\\{\" for a literal brace")
    }

    /// A POSIX bracket construct such as `[:alpha:]` inside a class.
    static func posixClass(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "POSIX class syntax at position \(position) is not supported; list the characters instead, e.g. [a-zA-Z], or write \"\\[\" for a literal bracket")
    }

    /// A range such as `z-a` whose start is after its end.
    static func emptyRange(_ entry: String, at position: Int, low: Unicode.Scalar, high: Unicode.Scalar) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "range \"\(low)-\(high)\" at position \(position) is empty because its start comes after its end; write it as \"\(high)-\(low)\"")
    }

    /// A backslash at the very end, escaping nothing.
    static func trailingBackslash(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "\"\\\" at position \(position) escapes nothing; write \"\\\\\" for a literal backslash")
    }

    /// The entry is `/` alone.
    static func loneSlash(_ entry: String) -> ScopeError {
        ScopeError(entry: entry, position: 0,
                   problem: "\"/\" alone is not an entry; use \"**\" to cover the whole repository")
    }

    /// An absolute path where only relative ones are accepted.
    static func absolutePath(_ entry: String) -> ScopeError {
        ScopeError(entry: entry, position: 0,
                   problem: "absolute paths are not accepted here; give a path relative to the repository root")
    }

    /// An absolute path that does not lie under the repository root.
    static func outsideRoot(_ entry: String, root: String) -> ScopeError {
        ScopeError(entry: entry, position: 0,
                   problem: "absolute path is outside the repository root \(quoted(root)); give a path under the root or choose another root")
    }

    /// A `..` that climbs above the repository root.
    static func escapesRoot(_ entry: String, at position: Int) -> ScopeError {
        ScopeError(entry: entry, position: position,
                   problem: "\"..\" at position \(position) leads outside the repository root; give a path under the root")
    }

    /// The entry resolves to the repository root itself.
    static func namesRoot(_ entry: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "names the repository root itself; use \"**\" to cover the whole repository")
    }
}

extension ScopeError {
    /// A scope's excludes need too many determinised states to decide overlaps exactly.
    static func excludesTooComplex(_ excludes: [String]) -> ScopeError {
        ScopeError(entry: excludes.first ?? "", problem: "the excludes \(excludes.map(quoted).joined(separator: ", ")) together need more than \(ScopeLimits.maximumExcludeStates) states to decide exactly; use fewer wildcards before fixed characters, or fewer excludes", subject: "exclude")
    }

    /// An exclude that leaves an entry covering nothing.
    static func emptiedByExcludes(_ entry: String, excludes: [String]) -> ScopeError {
        ScopeError(entry: entry, problem: "every path it covers is excluded by \(excludes.map(quoted).joined(separator: ", ")), so the scope would not cover it at all; drop the entry or narrow the exclude")
    }

    /// The same problem, said of an exclude entry instead of a scope entry (`exclude "x": ...`).
    public var asExclude: ScopeError {
        let prefix = "entry " + Self.quoted(entry) + ": "
        guard message.hasPrefix(prefix) else { return self }
        return ScopeError(entry: entry, position: position, problem: String(message.dropFirst(prefix.count)), subject: "exclude")
    }
}
