/// A set of Unicode scalars stored as sorted, disjoint, non-adjacent ranges of scalar values.
///
/// Glob transitions are labelled with these sets; the overlap search intersects them.
struct ScalarRanges: Hashable, Sendable {
    /// Sorted, disjoint and non-adjacent ranges of scalar values.
    private(set) var ranges: [ClosedRange<UInt32>]

    /// The empty set.
    init() {
        ranges = []
    }

    /// The set holding one scalar.
    init(_ scalar: Unicode.Scalar) {
        ranges = [scalar.value...scalar.value]
    }

    /// The union of arbitrary ranges, merged into canonical form.
    init(ranges input: [ClosedRange<UInt32>]) {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        merged.reserveCapacity(sorted.count)
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    /// Every scalar a path may contain: all scalars except NUL (surrogates are not scalars).
    static let universe = ScalarRanges(ranges: [0x1...0xD7FF, 0xE000...0x10FFFF])
    /// The path separator.
    static let slash = ScalarRanges("/")
    /// Every scalar except the path separator: what `?`, `*` and classes may match.
    static let nonSlash = universe.subtracting(slash)

    /// True when the set holds no scalar.
    var isEmpty: Bool { ranges.isEmpty }

    /// The smallest scalar in the set.
    var first: Unicode.Scalar? { ranges.first.flatMap { Unicode.Scalar($0.lowerBound) } }

    /// Membership by binary search.
    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            let range = ranges[mid]
            if value < range.lowerBound {
                high = mid
            } else if value > range.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    /// The scalars in both sets.
    func intersection(_ other: ScalarRanges) -> ScalarRanges {
        var result: [ClosedRange<UInt32>] = []
        var i = 0
        var j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = max(a.lowerBound, b.lowerBound)
            let high = min(a.upperBound, b.upperBound)
            if low <= high { result.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        var set = ScalarRanges()
        set.ranges = result
        return set
    }

    /// The scalars in either set.
    func union(_ other: ScalarRanges) -> ScalarRanges {
        ScalarRanges(ranges: ranges + other.ranges)
    }

    /// The scalars of this set that are not in `other`.
    func subtracting(_ other: ScalarRanges) -> ScalarRanges {
        intersection(other.complement)
    }

    /// Every scalar value from 0 to U+10FFFF that is not in the set.
    private var complement: ScalarRanges {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= 0x10FFFF { result.append(next...0x10FFFF) }
        var set = ScalarRanges()
        set.ranges = result
        return set
    }

    /// The smallest member inside `window`, if any.
    func first(in window: ClosedRange<UInt32>) -> Unicode.Scalar? {
        for range in ranges where range.upperBound >= window.lowerBound {
            if range.lowerBound > window.upperBound { return nil }
            return Unicode.Scalar(max(range.lowerBound, window.lowerBound))
        }
        return nil
    }
}
