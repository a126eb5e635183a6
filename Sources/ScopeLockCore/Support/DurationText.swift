/// Durations as the command line writes them: `90s`, `15m`, `1h`, `1h30m`, or whole seconds. Every duration
/// (a TTL, a wait, a plugin timeout) is at most `maximumSeconds`, in every form, so no duration can carry a
/// time past what a record can hold or make arithmetic overflow.
public enum DurationText {
    /// The longest duration accepted: 365 days.
    public static let maximumSeconds = 365 * 86_400

    /// Why a text is not an accepted duration.
    public enum Problem: Error, Sendable, Equatable {
        /// Not a duration at all (or zero).
        case malformed
        /// A duration, but longer than `maximumSeconds`.
        case tooLong
    }

    /// Seconds in `text`, or nil when it is not an accepted duration. Zero is not a duration.
    public static func seconds(_ text: String) -> Int? {
        try? parse(text).get()
    }

    /// Seconds in `text`, or why it is not an accepted duration.
    public static func parse(_ text: String) -> Result<Int, Problem> {
        let limit = Int64(maximumSeconds)
        if let first = text.utf8.first, first >= 48, first <= 57, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            // Whole seconds: any number of digits is read without overflow.
            let digits = text.drop { $0 == "0" }
            guard let value = CheckedNumber.integer(digits.isEmpty ? "0" : digits, in: 0...Int64.max), digits.utf8.count <= 19 else {
                return .failure(.tooLong)
            }
            if value == 0 { return .failure(.malformed) }
            return value <= limit ? .success(Int(value)) : .failure(.tooLong)
        }
        var total: Int64 = 0
        var digits = ""
        var lastUnit = Int64.max
        var tooLong = false
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int64
            switch character {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: return .failure(.malformed)
            }
            guard !digits.isEmpty, unit < lastUnit else { return .failure(.malformed) }
            let trimmed = digits.drop { $0 == "0" }
            if let value = CheckedNumber.integer(trimmed.isEmpty ? "0" : trimmed, in: 0...limit),
               let part = CheckedNumber.integer(Double(value) * Double(unit), in: 0...limit),
               let sum = CheckedNumber.sum(total, part, in: 0...limit) {
                total = sum
            } else {
                tooLong = true
            }
            digits = ""
            lastUnit = unit
        }
        guard digits.isEmpty, lastUnit != Int64.max else { return .failure(.malformed) }
        if tooLong { return .failure(.tooLong) }
        return total > 0 ? .success(Int(total)) : .failure(.malformed)
    }

    /// The message for a rejected duration given as `--name` (or the `name` param/key).
    public static func message(_ text: String, name: String, problem: Problem) -> String {
        switch problem {
        case .malformed:
            "invalid \(name) \(text.debugDescription): use e.g. 90s, 15m, 1h, 1h30m or whole seconds"
        case .tooLong:
            "invalid \(name) \(text.debugDescription): longer than the limit of 365 days (31536000 seconds)"
        }
    }
}
