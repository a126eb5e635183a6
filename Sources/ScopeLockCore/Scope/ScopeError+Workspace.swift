extension ScopeError {
    /// A symbolic link on the entry's literal leading part points outside the repository root.
    static func linkLeavesRoot(_ entry: String, link: String, target: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "\(quoted(link)) is a symbolic link to \(quoted(target)), outside the repository root; give a path under the root")
    }

    /// Symbolic links on the entry's literal leading part refer to each other without end.
    static func linkLoop(_ entry: String, link: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "too many levels of symbolic links at \(quoted(link)); fix the link or give the real path")
    }

    /// The entry can cover no valid path (`{}`, `a/{}/b`, an alternative that is only `/`).
    static func coversNothing(_ entry: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "covers no path (an empty \"{}\" has no alternative); remove it or give the alternatives, e.g. {a,b}")
    }

    /// An alternative inside braces leads outside the repository root.
    static func alternativeEscapesRoot(_ entry: String, alternative: String) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "its alternative \(quoted(alternative)) leads outside the repository root; give paths under the root")
    }

    /// Braces holding `/`, `.` or `..` expand to more alternatives than are normalised one by one.
    static func tooManyAlternatives(_ entry: String, limit: Int) -> ScopeError {
        ScopeError(entry: entry,
                   problem: "its braces hold \"/\", \".\" or \"..\" and expand to more than \(limit) paths; write fewer alternatives or several entries")
    }
}
