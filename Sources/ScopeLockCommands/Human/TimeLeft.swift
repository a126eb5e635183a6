/// A time left as a person reads it: `45s`, `59m`, `2h05m`. Minutes round down, so a lock never looks
/// longer-lived than it is.
enum TimeLeft {
    static func label(seconds: Int) -> String {
        guard seconds > 0 else { return "0s" }
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let remainder = minutes % 60
        return "\(minutes / 60)h" + (remainder < 10 ? "0" : "") + "\(remainder)m"
    }
}
