/// Decides whether two entries, each less its scope's excludes, cover a common valid path, and finds a
/// shortest one.
///
/// Breadth-first search over the product of both entries' automata, ``PathValidity`` and both scopes'
/// determinised ``ExcludeAutomaton``s: a path is a witness when both entries accept it, it is valid, and
/// neither exclude automaton accepts it. The scalars are first divided into ``ScalarClasses`` that no
/// automaton tells apart, so a step is one pair of entry transitions and one class of their common
/// scalars, and the exclude automata move by table lookup.
///
/// Worst case: states(a) × states(b) × 4 × states(excludes a) × states(excludes b) product states, each
/// expanded over its transition pairs and their classes. Bounded twice: the search stops with `.undecided`
/// after ``ScopeLimits/maximumExcludeSearchStates`` states or ``ScopeLimits/maximumExcludeSearchSteps``
/// steps, whichever comes first.
enum ExcludingOverlapSearch {
    /// The search's answer.
    enum Answer: Equatable {
        /// A shortest common path outside both exclude sets.
        case witness(String)
        /// No common path outside the excludes.
        case disjoint
        /// The search met its state or step limit before deciding.
        case undecided
    }

    /// Searches `a` less `excludesA` against `b` less `excludesB`.
    static func shortestCommonPath(
        _ a: Automaton, excluding excludesA: ExcludeAutomaton,
        _ b: Automaton, excluding excludesB: ExcludeAutomaton,
        limit: Int = ScopeLimits.maximumExcludeSearchStates,
        steps budget: Int = ScopeLimits.maximumExcludeSearchSteps
    ) -> Answer {
        let classes = ScalarClasses(splitting: a.sets + b.sets + excludesA.sets + excludesB.sets)
        var pairs = ClassPairs(a.sets.map(classes.classes(of:)), b.sets.map(classes.classes(of:)))
        let movesA = ClassMoves(excludesA, classes)
        let movesB = ClassMoves(excludesB, classes)
        let (flatA, flatB) = (FlatMoves(a), FlatMoves(b))

        // A product state as one integer: (((a × |b| + b) × |xa| + xa) × |xb| + xb) × 4 + validity.
        let validityStates = PathValidity.State.allCases.count
        let (countB, countXA, countXB) = (b.count, excludesA.count, excludesB.count)
        func key(_ qa: Int, _ qb: Int, _ xa: Int, _ xb: Int, _ validity: PathValidity.State) -> Int {
            (((qa * countB + qb) * countXA + xa) * countXB + xb) * validityStates + validity.rawValue
        }
        let capacity = [a.count, countB, countXA, countXB, validityStates].reduce(Optional(1)) { product, factor in
            product.flatMap { product in
                let (result, overflow) = product.multipliedReportingOverflow(by: factor)
                return overflow ? nil : result
            }
        }

        var keys = [key(0, 0, ExcludeAutomaton.start, ExcludeAutomaton.start, .segmentStart)]
        var parents: [Int32] = [-1]
        var scalars: [Unicode.Scalar] = ["/"]
        var reached = ReachedStates(capacity: capacity)
        _ = reached.insert(keys[0])
        var steps = 0

        var head = 0
        while head < keys.count {
            var rest = keys[head]
            let state = PathValidity.State(rawValue: rest % validityStates)!
            rest /= validityStates
            let xb = rest % countXB
            rest /= countXB
            let xa = rest % countXA
            rest /= countXA
            let (qa, qb) = (rest / countB, rest % countB)
            for moveA in flatA.moves(of: qa) {
                for moveB in flatB.moves(of: qb) {
                    let (setA, targetA, setB, targetB) = (flatA.sets[moveA], flatA.targets[moveA], flatB.sets[moveB], flatB.targets[moveB])
                    let shared = pairs.classes(setA, setB)
                    if shared.isEmpty { continue }
                    let accepts = a.accepting[targetA] && b.accepting[targetB]
                    for position in shared {
                        let scalarClass = pairs.pool[position]
                        steps += 1
                        if steps > budget { return .undecided }
                        let scalar: Unicode.Scalar
                        let next: PathValidity.State
                        if scalarClass == classes.dot {
                            (scalar, next) = (".", state.afterDot)
                        } else if scalarClass == classes.slash {
                            guard state == .ordinary else { continue }
                            (scalar, next) = ("/", .segmentStart)
                        } else {
                            guard let representative = classes.representatives[Int(scalarClass)] else { continue }
                            (scalar, next) = (representative, .ordinary)
                        }
                        let (nextXA, nextXB) = (movesA.target(xa, scalarClass), movesB.target(xb, scalarClass))
                        let target = key(targetA, targetB, nextXA, nextXB, next)
                        guard reached.insert(target) else { continue }
                        keys.append(target)
                        parents.append(Int32(head))
                        scalars.append(scalar)
                        if accepts && next == .ordinary && !excludesA.accepting[nextXA] && !excludesB.accepting[nextXB] {
                            return .witness(OverlapSearch.path(endingAt: keys.count - 1, parents: parents, scalars: scalars))
                        }
                        if keys.count > limit { return .undecided }
                    }
                }
            }
            head += 1
        }
        return .disjoint
    }
}

/// The classes common to a set of one entry and a set of the other, computed once per pair of sets and
/// kept as spans of one pool.
private struct ClassPairs {
    private let classesA: [[Int32]]
    private let classesB: [[Int32]]
    /// Per pair of sets, where its classes start in `pool` (-1: not computed yet) and end.
    private var starts: [Int32]
    private var ends: [Int32]
    private(set) var pool: [Int32] = []

    init(_ classesA: [[Int32]], _ classesB: [[Int32]]) {
        self.classesA = classesA
        self.classesB = classesB
        starts = [Int32](repeating: -1, count: classesA.count * classesB.count)
        ends = [Int32](repeating: 0, count: classesA.count * classesB.count)
    }

    /// Where the classes of both `setA` of the first entry and `setB` of the second lie in `pool`, in class order.
    mutating func classes(_ setA: Int, _ setB: Int) -> Range<Int> {
        let pair = setA * classesB.count + setB
        if starts[pair] >= 0 { return Int(starts[pair])..<Int(ends[pair]) }
        let (left, right) = (classesA[setA], classesB[setB])
        let start = pool.count
        var (i, j) = (0, 0)
        while i < left.count && j < right.count {
            if left[i] < right[j] {
                i += 1
            } else if left[i] > right[j] {
                j += 1
            } else {
                pool.append(left[i])
                i += 1
                j += 1
            }
        }
        starts[pair] = Int32(start)
        ends[pair] = Int32(pool.count)
        return start..<pool.count
    }
}

/// An entry automaton's transitions in three flat arrays, read without reference counting in the search.
private struct FlatMoves {
    /// Where each state's transitions start in `sets` and `targets`; one more entry marks the end.
    private let starts: [Int]
    let sets: [Int]
    let targets: [Int]

    init(_ automaton: Automaton) {
        var starts = [0]
        var sets: [Int] = []
        var targets: [Int] = []
        for moves in automaton.transitions {
            for move in moves {
                sets.append(move.set)
                targets.append(move.target)
            }
            starts.append(sets.count)
        }
        (self.starts, self.sets, self.targets) = (starts, sets, targets)
    }

    /// The positions of `state`'s transitions.
    func moves(of state: Int) -> Range<Int> { starts[state]..<starts[state + 1] }
}

/// An exclude automaton's moves as a table: the state after reading any scalar of a class.
private struct ClassMoves {
    private let table: [Int32]
    private let width: Int

    init(_ automaton: ExcludeAutomaton, _ classes: ScalarClasses) {
        width = classes.count
        var table = [Int32](repeating: 0, count: automaton.count * width)
        let classesOfSet = automaton.sets.map(classes.classes(of:))
        for state in 0..<automaton.count {
            for move in automaton.transitions[state] {
                for scalarClass in classesOfSet[move.set] { table[state * width + Int(scalarClass)] = Int32(move.target) }
            }
        }
        self.table = table
    }

    /// The state after reading a scalar of `scalarClass` in `state`.
    func target(_ state: Int, _ scalarClass: Int32) -> Int { Int(table[state * width + Int(scalarClass)]) }
}
