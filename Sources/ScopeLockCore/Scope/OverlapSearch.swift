/// Decides whether two automata accept a common valid path, and finds a shortest one.
///
/// Breadth-first search over the product of both automata and ``PathValidity``, with parent
/// pointers for the witness. Each scalar is picked to read well: a letter or digit where the
/// intersected set allows, `.` or `/` only where they change the validity state.
/// Time and memory are proportional to the reachable part of the product (at most
/// 4 × states of `a` × states of `b`).
enum OverlapSearch {
    /// What one pair of transition sets allows, reduced to what the validity automaton tells apart.
    private struct Step {
        /// A readable scalar other than `.` and `/` in the intersection, if any.
        let ordinary: Unicode.Scalar?
        /// The intersection holds `.`.
        let dot: Bool
        /// The intersection holds `/`.
        let slash: Bool
    }

    /// A shortest valid path both `a` and `b` accept, or nil when there is none.
    static func shortestCommonPath(_ a: Automaton, _ b: Automaton) -> String? {
        let validityStates = PathValidity.State.allCases.count
        let width = b.count
        let setPairs = b.sets.count
        var steps = [Step?](repeating: nil, count: a.sets.count * setPairs)
        let noDot = ScalarRanges(".").union(.slash)

        // Parallel arrays: product key, parent index, scalar read to get here.
        // Both automata start in state 0, so the start key is the validity start state.
        var keys = [PathValidity.State.segmentStart.rawValue]
        var parents: [Int32] = [-1]
        var scalars: [Unicode.Scalar] = ["/"]
        var reached = ReachedStates(capacity: a.count * width * validityStates)
        _ = reached.insert(keys[0])

        var head = 0
        while head < keys.count {
            let key = keys[head]
            let qa = key / validityStates / width
            let qb = key / validityStates % width
            let state = PathValidity.State(rawValue: key % validityStates)!
            for moveA in a.transitions[qa] {
                for moveB in b.transitions[qb] {
                    let index = moveA.set * setPairs + moveB.set
                    let allowed: Step
                    if let known = steps[index] {
                        allowed = known
                    } else {
                        let both = a.sets[moveA.set].intersection(b.sets[moveB.set])
                        allowed = Step(ordinary: both.subtracting(noDot).readableMember,
                                       dot: both.contains("."), slash: both.contains("/"))
                        steps[index] = allowed
                    }
                    let base = (moveA.target * width + moveB.target) * validityStates
                    let accepts = a.accepting[moveA.target] && b.accepting[moveB.target]
                    for option in 0..<3 {
                        let scalar: Unicode.Scalar
                        let next: PathValidity.State
                        switch option {
                        case 0:
                            guard let ordinary = allowed.ordinary else { continue }
                            (scalar, next) = (ordinary, .ordinary)
                        case 1:
                            guard allowed.dot else { continue }
                            (scalar, next) = (".", state.afterDot)
                        default:
                            guard allowed.slash && state == .ordinary else { continue }
                            (scalar, next) = ("/", .segmentStart)
                        }
                        guard reached.insert(base + next.rawValue) else { continue }
                        keys.append(base + next.rawValue)
                        parents.append(Int32(head))
                        scalars.append(scalar)
                        if accepts && next == .ordinary {
                            return path(endingAt: keys.count - 1, parents: parents, scalars: scalars)
                        }
                    }
                }
            }
            head += 1
        }
        return nil
    }

    /// The scalars along the parent pointers from the start to `index` (also the excluding search's witness).
    static func path(endingAt index: Int, parents: [Int32], scalars: [Unicode.Scalar]) -> String {
        var reversed: [Unicode.Scalar] = []
        var current = index
        while parents[current] >= 0 {
            reversed.append(scalars[current])
            current = Int(parents[current])
        }
        return String(String.UnicodeScalarView(reversed.reversed()))
    }
}
