/// A Thompson-style NFA for one entry, linear in the size of the pattern (braces are not expanded).
///
/// Transitions are labelled by scalar sets. Epsilon links come in kinds so that ``Automaton``
/// can decide, per path through the alternatives, whether a `**` stands as a whole segment:
/// it does when the element before it (across brace boundaries) is a `/` or the start, and the
/// element after it is a `/` or the end, exactly as if the braces had been expanded first.
struct NFA: Sendable {
    /// A link out of a state.
    enum Link: Sendable {
        /// Epsilon between elements (sequence and brace structure).
        case structural(Int)
        /// Epsilon inside an element (into or out of a `*` loop); it means an element other
        /// than `/` was entered.
        case element(Int)
        /// Consumes one scalar from `sets[set]`; `isSeparator` marks a pattern `/`.
        case consume(set: Int, target: Int, isSeparator: Bool)
        /// `**` as a whole segment, matching one or more segments: into the any-scalar loop.
        case globstarSegments(Int)
        /// `**` as a whole segment matching zero segments: it absorbs the `/` that follows.
        case globstarNothing(Int)
        /// Out of the any-scalar loop of a whole-segment `**`: a `/` or the end must follow.
        case globstarEnd(Int)
    }

    /// Outgoing links per state.
    private(set) var links: [[Link]] = []
    /// The distinct scalar sets used by `consume` links.
    private(set) var sets: [ScalarRanges] = []
    private var setIndex: [ScalarRanges: Int] = [:]
    /// The start state.
    private(set) var start = 0
    /// The single accepting state.
    private(set) var accept = 0

    /// The NFA for `entry`; a directory entry `d/` is compiled as `d/**`.
    init(_ entry: ScopeEntry) {
        var nodes: [GlobNode] = []
        for (index, segment) in entry.segments.enumerated() {
            if index > 0 { nodes.append(.literal("/")) }
            nodes.append(contentsOf: segment.nodes)
        }
        if entry.kind == .directory {
            nodes.append(.literal("/"))
            nodes.append(.globstar)
        }
        start = newState()
        accept = build(nodes, from: start)
    }

    private mutating func newState() -> Int {
        links.append([])
        return links.count - 1
    }

    private mutating func index(of set: ScalarRanges) -> Int {
        if let known = setIndex[set] { return known }
        sets.append(set)
        setIndex[set] = sets.count - 1
        return sets.count - 1
    }

    private mutating func consume(_ set: ScalarRanges, from: Int, to: Int, isSeparator: Bool = false) {
        links[from].append(.consume(set: index(of: set), target: to, isSeparator: isSeparator))
    }

    /// Builds a sequence starting at `entry`; returns its exit state.
    private mutating func build(_ nodes: [GlobNode], from entry: Int) -> Int {
        var current = entry
        for node in nodes { current = build(node, from: current) }
        return current
    }

    /// Builds one element starting at `entry`; returns its exit state.
    private mutating func build(_ node: GlobNode, from entry: Int) -> Int {
        switch node {
        case .literal(let scalar):
            let exit = newState()
            consume(ScalarRanges(scalar), from: entry, to: exit, isSeparator: scalar == "/")
            return exit
        case .anyScalar:
            let exit = newState()
            consume(.nonSlash, from: entry, to: exit)
            return exit
        case .characterClass(let set):
            let exit = newState()
            consume(set, from: entry, to: exit)
            return exit
        case .star:
            return buildStar(from: entry)
        case .globstar:
            let exit = buildStar(from: entry)
            let loop = newState()
            links[entry].append(.globstarSegments(loop))
            consume(.universe, from: loop, to: loop)
            links[loop].append(.globstarEnd(exit))
            links[entry].append(.globstarNothing(exit))
            return exit
        case .alternation(let alternatives):
            let exit = newState()
            for alternative in alternatives {
                let first = newState()
                links[entry].append(.structural(first))
                let last = build(alternative, from: first)
                links[last].append(.structural(exit))
            }
            return exit
        }
    }

    /// `*`: a loop over non-`/` scalars entered and left by element links.
    private mutating func buildStar(from entry: Int) -> Int {
        let loop = newState()
        let exit = newState()
        links[entry].append(.element(loop))
        consume(.nonSlash, from: loop, to: loop)
        links[loop].append(.element(exit))
        return exit
    }
}
