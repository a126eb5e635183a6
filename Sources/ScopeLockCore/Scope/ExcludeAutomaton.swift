/// The union of a scope's exclude entries, determinised: one state per set of states of the exclude
/// automata that some string reaches (subset construction), each with transitions on disjoint scalar sets
/// that together hold every scalar. Built whole when the scope is compiled, so a search or a match only
/// reads it; a set of excludes whose construction would pass ``ScopeLimits/maximumExcludeStates`` is
/// refused rather than searched.
struct ExcludeAutomaton: Sendable {
    /// A move on any scalar of `sets[set]` to `target`.
    struct Transition: Sendable {
        let set: Int
        let target: Int
    }

    /// The scalar sets referenced by transitions.
    let sets: [ScalarRanges]
    /// Outgoing transitions per state; the sets of one state are disjoint and cover every scalar.
    let transitions: [[Transition]]
    /// States in which some exclude has matched everything read so far.
    let accepting: [Bool]
    /// The state reached by nothing that any exclude could still match; nil when no string leads there.
    let dead: Int?

    /// The start state.
    static let start = 0

    /// The automaton of no excludes at all: one dead state, never accepting.
    static let nothing = ExcludeAutomaton(sets: [.universe], transitions: [[Transition(set: 0, target: 0)]], accepting: [false], dead: 0)

    private init(sets: [ScalarRanges], transitions: [[Transition]], accepting: [Bool], dead: Int?) {
        self.sets = sets
        self.transitions = transitions
        self.accepting = accepting
        self.dead = dead
    }

    /// Determinises the union of `automata`; nil when that takes more than `limit` states.
    init?(union automata: [Automaton], limit: Int = ScopeLimits.maximumExcludeStates) {
        guard !automata.isEmpty else {
            self = .nothing
            return
        }
        // Every automaton's states, numbered one after another.
        var offsets: [Int] = []
        var total = 0
        for automaton in automata {
            offsets.append(total)
            total += automaton.count
        }
        var owner: [(automaton: Int, state: Int)] = []
        owner.reserveCapacity(total)
        for (index, automaton) in automata.enumerated() {
            for state in 0..<automaton.count { owner.append((index, state)) }
        }

        var numbering: [[Int]: Int] = [:]
        var pending: [[Int]] = []
        func number(_ subset: [Int]) -> Int? {
            if let known = numbering[subset] { return known }
            guard pending.count < limit else { return nil }
            numbering[subset] = pending.count
            pending.append(subset)
            return pending.count - 1
        }
        _ = number(offsets)

        var sets: [ScalarRanges] = []
        var setIndex: [ScalarRanges: Int] = [:]
        var transitions: [[Transition]] = []
        var accepting: [Bool] = []
        var current = 0
        while current < pending.count {
            let subset = pending[current]
            // The moves out of this subset, as (scalar set, global target).
            var moves: [(ranges: ScalarRanges, target: Int)] = []
            var accepts = false
            for global in subset {
                let (index, state) = owner[global]
                let automaton = automata[index]
                if automaton.accepting[state] { accepts = true }
                for move in automaton.transitions[state] {
                    moves.append((automaton.sets[move.set], offsets[index] + move.target))
                }
            }
            // Elementary intervals between every boundary of every move's ranges.
            var cuts: Set<UInt32> = [0, 0x11_0000]
            for move in moves {
                for range in move.ranges.ranges {
                    cuts.insert(range.lowerBound)
                    cuts.insert(range.upperBound + 1)
                }
            }
            let bounds = cuts.sorted()
            var targetsOf = [[Int]](repeating: [], count: bounds.count - 1)
            for move in moves {
                for range in move.ranges.ranges {
                    var interval = Self.interval(startingAt: range.lowerBound, in: bounds)
                    while interval < targetsOf.count && bounds[interval] <= range.upperBound {
                        targetsOf[interval].append(move.target)
                        interval += 1
                    }
                }
            }
            // Intervals grouped by the subset they lead to.
            var grouped: [[Int]: [ClosedRange<UInt32>]] = [:]
            var order: [[Int]] = []
            for (interval, targets) in targetsOf.enumerated() {
                let key = Array(Set(targets)).sorted()
                if grouped[key] == nil { order.append(key) }
                grouped[key, default: []].append(bounds[interval]...(bounds[interval + 1] - 1))
            }
            var out: [Transition] = []
            for key in order {
                guard let target = number(key) else { return nil }
                let ranges = ScalarRanges(ranges: grouped[key]!)
                let set: Int
                if let known = setIndex[ranges] {
                    set = known
                } else {
                    sets.append(ranges)
                    set = sets.count - 1
                    setIndex[ranges] = set
                }
                out.append(Transition(set: set, target: target))
            }
            transitions.append(out)
            accepting.append(accepts)
            current += 1
        }
        self.init(sets: sets, transitions: transitions, accepting: accepting, dead: numbering[[]])
    }

    /// The index of the elementary interval that starts at `value` (binary search in `bounds`).
    private static func interval(startingAt value: UInt32, in bounds: [UInt32]) -> Int {
        var low = 0
        var high = bounds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Number of states.
    var count: Int { transitions.count }

    /// The state after reading `scalar` in `state`.
    func step(_ state: Int, _ scalar: Unicode.Scalar) -> Int {
        for move in transitions[state] where sets[move.set].contains(scalar) { return move.target }
        return dead ?? state  // unreachable: a state's sets cover every scalar
    }

    /// Does some exclude match the whole of `scalars`?
    func accepts(_ scalars: String.UnicodeScalarView) -> Bool {
        var state = Self.start
        for scalar in scalars {
            state = step(state, scalar)
            if state == dead { return false }
        }
        return accepting[state]
    }
}
