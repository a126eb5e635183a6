/// Durations as the command line writes them: `90s`, `15m`, `1h`, `1h30m`, or whole seconds.
public enum DurationText {
    /// Seconds in `text`, or nil when it is not a duration. Zero is not a duration.
    public static func seconds(_ text: String) -> Int? {
        if let whole = Int(text) { return whole > 0 ? whole : nil }
        var total = 0
        var digits = ""
        var lastUnit = Int.max
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int
            switch character {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: return nil
            }
            guard let value = Int(digits), unit < lastUnit else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += product
            digits = ""
            lastUnit = unit
        }
        guard digits.isEmpty, total > 0, total <= 10 * 365 * 86_400 else { return nil }
        return total
    }
}
