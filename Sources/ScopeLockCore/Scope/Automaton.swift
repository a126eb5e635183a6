/// An epsilon-free NFA derived from an ``NFA`` by following its epsilon links under a small
/// lexical context, so that `**` behaves as a whole segment exactly where brace expansion would
/// make it one. State 0 is the start state.
struct Automaton: Sendable {
    /// A move on one scalar from `sets[set]` to `target`.
    struct Transition: Sendable, Hashable {
        let set: Int
        let target: Int
    }

    /// The scalar sets referenced by transitions.
    let sets: [ScalarRanges]
    /// Outgoing transitions per state.
    let transitions: [[Transition]]
    /// Accepting states.
    let accepting: [Bool]

    /// What the pattern element last passed was, as far as `**` cares.
    private enum Context: Int {
        /// Something other than `/`.
        case ordinary = 0
        /// A `/`, or the start of the pattern.
        case afterSeparator = 1
        /// A whole-segment `**` that consumed scalars: only a `/` or the end may follow.
        case needsBoundary = 2
        /// A whole-segment `**` that matched nothing: the next element must be a `/`, which is skipped.
        case skipsSeparator = 3
    }

    /// Derives the epsilon-free automaton of `nfa`.
    init(_ nfa: NFA) {
        let contexts = 4
        var numbering: [Int: Int] = [:]
        var pending: [Int] = []
        func number(_ key: Int) -> Int {
            if let known = numbering[key] { return known }
            numbering[key] = pending.count
            pending.append(key)
            return pending.count - 1
        }
        _ = number(nfa.start * contexts + Context.afterSeparator.rawValue)

        var transitions: [[Transition]] = []
        var accepting: [Bool] = []
        var visitedIn = [Int](repeating: -1, count: nfa.links.count * contexts)
        var stack: [Int] = []
        var current = 0
        while current < pending.count {
            var moves: [Transition] = []
            var seen = Set<Transition>()
            var accepts = false
            stack.append(pending[current])
            visitedIn[pending[current]] = current
            func reach(_ state: Int, _ context: Context) {
                let key = state * contexts + context.rawValue
                if visitedIn[key] != current {
                    visitedIn[key] = current
                    stack.append(key)
                }
            }
            while let key = stack.popLast() {
                let state = key / contexts
                let context = Context(rawValue: key % contexts)!
                if state == nfa.accept && context != .skipsSeparator { accepts = true }
                for link in nfa.links[state] {
                    switch link {
                    case .structural(let target):
                        reach(target, context)
                    case .element(let target):
                        if context == .ordinary || context == .afterSeparator { reach(target, .ordinary) }
                    case .globstarSegments(let target):
                        if context == .afterSeparator { reach(target, .ordinary) }
                    case .globstarNothing(let target):
                        if context == .afterSeparator { reach(target, .skipsSeparator) }
                    case .globstarEnd(let target):
                        reach(target, .needsBoundary)
                    case .consume(let set, let target, let isSeparator):
                        switch context {
                        case .ordinary, .afterSeparator:
                            let next: Context = isSeparator ? .afterSeparator : .ordinary
                            let move = Transition(set: set, target: number(target * contexts + next.rawValue))
                            if seen.insert(move).inserted { moves.append(move) }
                        case .needsBoundary:
                            guard isSeparator else { break }
                            let move = Transition(set: set, target: number(target * contexts + Context.afterSeparator.rawValue))
                            if seen.insert(move).inserted { moves.append(move) }
                        case .skipsSeparator:
                            if isSeparator { reach(target, .afterSeparator) }
                        }
                    }
                }
            }
            transitions.append(moves)
            accepting.append(accepts)
            current += 1
        }
        self.sets = nfa.sets
        self.transitions = transitions
        self.accepting = accepting
    }

    /// Number of states.
    var count: Int { transitions.count }

    /// Runs the automaton over `scalars` with a set of current states (no backtracking).
    func accepts(_ scalars: String.UnicodeScalarView) -> Bool {
        var current = [0]
        var next: [Int] = []
        var markedAt = [Int](repeating: -1, count: count)
        for (step, scalar) in scalars.enumerated() {
            next.removeAll(keepingCapacity: true)
            for state in current {
                for move in transitions[state] where markedAt[move.target] != step {
                    if sets[move.set].contains(scalar) {
                        markedAt[move.target] = step
                        next.append(move.target)
                    }
                }
            }
            if next.isEmpty { return false }
            swap(&current, &next)
        }
        return current.contains { accepting[$0] }
    }
}
