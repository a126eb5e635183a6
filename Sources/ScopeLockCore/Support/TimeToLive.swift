import Foundation

/// How long a lock lasts, and the `expires_at` that gives it at least that long.
public enum TimeToLive {
    /// The default: one hour.
    public static let defaultSeconds = 3600
    /// The longest TTL in any form (CLI, manifest, serve, MCP): 365 days.
    public static let maximumSeconds = DurationText.maximumSeconds

    /// `seconds` within the TTLs a record may hold: 1 to the maximum.
    public static func bounded(_ seconds: Int) -> Int { min(max(seconds, 1), maximumSeconds) }

    /// The expiry of a lease of `seconds` granted at `time`, rounded UP to a whole second (records hold whole
    /// seconds), so a lease never lasts less than its TTL.
    public static func expiry(grantedAt time: Date, seconds: Int) -> Date {
        let bounded = Double(min(max(seconds, 0), maximumSeconds))
        return Date(timeIntervalSince1970: (time.timeIntervalSince1970 + bounded).rounded(.up))
    }
}
