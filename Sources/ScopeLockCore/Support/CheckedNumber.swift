/// The one way a number from outside enters the tool (command line, serve, MCP, manifests, records, `.epoch`,
/// the environment): checked against the range its use allows, so no input can make arithmetic trap.
/// Every conversion answers nil when the input is malformed or out of range; callers turn that into a
/// clear error naming the input.
public enum CheckedNumber {
    /// The largest integer a JSON reader that holds numbers as doubles reads exactly (2^53 - 1).
    public static let largestExactInteger: Int64 = 9_007_199_254_740_991

    /// A whole number from decimal text: optional `-` (only when the range admits negatives), then 1 to 19
    /// ASCII digits (no `+`, spaces, `_`, or other digit scripts); nil when malformed or outside `range`.
    public static func integer(_ text: some StringProtocol, in range: ClosedRange<Int64>) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in digits.utf8 {
            guard byte >= 48, byte <= 57 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        if negative { value = -value }
        return range.contains(value) ? value : nil
    }

    /// A whole number from a JSON or YAML number: finite, integral and inside `range`; nil otherwise.
    public static func integer(_ value: Double, in range: ClosedRange<Int64>) -> Int64? {
        guard value.isFinite, value.rounded(.towardZero) == value,
              value >= Double(range.lowerBound), value <= Double(range.upperBound),
              let exact = Int64(exactly: value), range.contains(exact)
        else { return nil }
        return exact
    }

    /// `left + right`, or nil when the sum leaves `range` (or overflows).
    public static func sum(_ left: Int64, _ right: Int64, in range: ClosedRange<Int64>) -> Int64? {
        let (result, overflow) = left.addingReportingOverflow(right)
        return !overflow && range.contains(result) ? result : nil
    }

    /// A floating-point input (seconds, say) clamped into `range`; `fallback` when it is NaN.
    public static func clamped(_ value: Double, to range: ClosedRange<Double>, fallback: Double) -> Double {
        value.isNaN ? fallback : min(max(value, range.lowerBound), range.upperBound)
    }
}
