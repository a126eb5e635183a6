/// Decides whether two entries, each less its scope's excludes, cover a common valid path, and finds a
/// shortest one.
///
/// Breadth-first search over the product of both entries' automata, ``PathValidity`` and both scopes'
/// determinised ``ExcludeAutomaton``s: a path is a witness when both entries accept it, it is valid, and
/// neither exclude automaton accepts it. Each step intersects an entry transition of each side with an
/// exclude transition of each side, so the scalar read is one that leads each exclude automaton where the
/// path really goes.
///
/// Worst case: states(a) × states(b) × 4 × states(excludes a) × states(excludes b) product states, each
/// expanded over its transitions; exclude automata are capped at ``ScopeLimits/maximumExcludeStates``,
/// and the search stops after ``ScopeLimits/maximumExcludeSearchStates`` states with `.undecided`.
enum ExcludingOverlapSearch {
    /// The search's answer.
    enum Answer: Equatable {
        /// A shortest common path outside both exclude sets.
        case witness(String)
        /// No common path outside the excludes.
        case disjoint
        /// The search met its state limit before deciding.
        case undecided
    }

    private struct Key: Hashable {
        let a: Int32
        let b: Int32
        let excludedA: Int32
        let excludedB: Int32
        let validity: Int8
    }

    /// What one combination of four transition sets allows, reduced to what the validity automaton tells apart.
    private struct Step {
        let ordinary: Unicode.Scalar?
        let dot: Bool
        let slash: Bool
    }

    private struct StepKey: Hashable {
        let a: Int32
        let b: Int32
        let excludedA: Int32
        let excludedB: Int32
    }

    /// Searches `a` less `excludesA` against `b` less `excludesB`.
    static func shortestCommonPath(
        _ a: Automaton, excluding excludesA: ExcludeAutomaton,
        _ b: Automaton, excluding excludesB: ExcludeAutomaton,
        limit: Int = ScopeLimits.maximumExcludeSearchStates
    ) -> Answer {
        let noDot = ScalarRanges(".").union(.slash)
        var steps: [StepKey: Step] = [:]
        var pairs: [Int: ScalarRanges] = [:]
        func step(_ setA: Int, _ setB: Int, _ setXA: Int, _ setXB: Int) -> Step {
            let key = StepKey(a: Int32(setA), b: Int32(setB), excludedA: Int32(setXA), excludedB: Int32(setXB))
            if let known = steps[key] { return known }
            let pairKey = setA * b.sets.count + setB
            let pair = pairs[pairKey] ?? a.sets[setA].intersection(b.sets[setB])
            pairs[pairKey] = pair
            let all = pair.isEmpty ? pair : pair.intersection(excludesA.sets[setXA]).intersection(excludesB.sets[setXB])
            let result = Step(ordinary: all.subtracting(noDot).readableMember, dot: all.contains("."), slash: all.contains("/"))
            steps[key] = result
            return result
        }

        var keys = [Key(a: 0, b: 0, excludedA: Int32(ExcludeAutomaton.start), excludedB: Int32(ExcludeAutomaton.start),
                        validity: Int8(PathValidity.State.segmentStart.rawValue))]
        var parents: [Int32] = [-1]
        var scalars: [Unicode.Scalar] = ["/"]
        var reached: Set<Key> = [keys[0]]

        var head = 0
        while head < keys.count {
            let key = keys[head]
            let state = PathValidity.State(rawValue: Int(key.validity))!
            for moveA in a.transitions[Int(key.a)] {
                for moveB in b.transitions[Int(key.b)] {
                    if pairs[moveA.set * b.sets.count + moveB.set]?.isEmpty == true { continue }
                    let accepts = a.accepting[moveA.target] && b.accepting[moveB.target]
                    for moveXA in excludesA.transitions[Int(key.excludedA)] {
                        for moveXB in excludesB.transitions[Int(key.excludedB)] {
                            let allowed = step(moveA.set, moveB.set, moveXA.set, moveXB.set)
                            let outside = !excludesA.accepting[moveXA.target] && !excludesB.accepting[moveXB.target]
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
                                let target = Key(a: Int32(moveA.target), b: Int32(moveB.target), excludedA: Int32(moveXA.target),
                                                 excludedB: Int32(moveXB.target), validity: Int8(next.rawValue))
                                guard reached.insert(target).inserted else { continue }
                                keys.append(target)
                                parents.append(Int32(head))
                                scalars.append(scalar)
                                if accepts && outside && next == .ordinary {
                                    return .witness(path(endingAt: keys.count - 1, parents: parents, scalars: scalars))
                                }
                                if keys.count > limit { return .undecided }
                            }
                        }
                    }
                }
            }
            head += 1
        }
        return .disjoint
    }

    /// The scalars along the parent pointers from the start to `index`.
    private static func path(endingAt index: Int, parents: [Int32], scalars: [Unicode.Scalar]) -> String {
        var reversed: [Unicode.Scalar] = []
        var current = index
        while parents[current] >= 0 {
            reversed.append(scalars[current])
            current = Int(parents[current])
        }
        return String(String.UnicodeScalarView(reversed.reversed()))
    }
}
