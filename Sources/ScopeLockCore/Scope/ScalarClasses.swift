/// The scalars divided into classes that none of a search's scalar sets tells apart: every set is a union
/// of classes, so one representative scalar stands for its whole class. `.` and `/` are classes of their
/// own (the path validity automaton tells them apart). Classes are numbered from the best-reading
/// representative to the worst, so a search that tries classes in order writes readable witnesses.
struct ScalarClasses {
    /// The lowest scalar of each elementary interval, in scalar order, then the end of the code space.
    private let bounds: [UInt32]
    /// The class of each elementary interval.
    private let classOfInterval: [Int32]
    /// A readable scalar of each class; nil when the class holds no scalar a path may contain (NUL).
    let representatives: [Unicode.Scalar?]
    /// The class of `.`.
    let dot: Int32
    /// The class of `/`.
    let slash: Int32

    /// Number of classes.
    var count: Int { representatives.count }

    /// The classes that split every set in `sets`.
    init(splitting sets: [ScalarRanges]) {
        var cuts: Set<UInt32> = [0, 0x11_0000]
        for special in [Unicode.Scalar("."), "/", "\0"] {
            cuts.insert(special.value)
            cuts.insert(special.value + 1)
        }
        for set in sets {
            for range in set.ranges {
                cuts.insert(range.lowerBound)
                cuts.insert(range.upperBound + 1)
            }
        }
        let bounds = cuts.sorted()
        let nul = ScalarRanges("\0")
        let members = (0..<(bounds.count - 1)).map { interval in
            ScalarRanges(ranges: [bounds[interval]...(bounds[interval + 1] - 1)]).subtracting(nul).readableMember
        }
        // Number intervals by how well their representative reads (then by scalar): the class order.
        let order = members.indices.sorted { left, right in
            switch (members[left], members[right]) {
            case let (l?, r?):
                let (rankL, rankR) = (ScalarRanges.readability(of: l), ScalarRanges.readability(of: r))
                return rankL != rankR ? rankL < rankR : l.value < r.value
            case (_?, nil): return true
            case (nil, _): return false
            }
        }
        var classOfInterval = [Int32](repeating: 0, count: members.count)
        for (number, interval) in order.enumerated() { classOfInterval[interval] = Int32(number) }
        self.bounds = bounds
        self.classOfInterval = classOfInterval
        representatives = order.map { members[$0] }
        dot = classOfInterval[Self.interval(containing: Unicode.Scalar(".").value, in: bounds)]
        slash = classOfInterval[Self.interval(containing: Unicode.Scalar("/").value, in: bounds)]
    }

    /// The classes `set` is the union of, in class order. `set` must be one of the sets the classes split.
    func classes(of set: ScalarRanges) -> [Int32] {
        var result: [Int32] = []
        for range in set.ranges {
            var interval = Self.interval(containing: range.lowerBound, in: bounds)
            while interval < classOfInterval.count && bounds[interval] <= range.upperBound {
                result.append(classOfInterval[interval])
                interval += 1
            }
        }
        return result.sorted()
    }

    /// The index of the elementary interval holding `value` (binary search in `bounds`).
    private static func interval(containing value: UInt32, in bounds: [UInt32]) -> Int {
        var low = 0
        var high = bounds.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if bounds[mid] <= value { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
