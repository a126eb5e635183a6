/// How long a change waits while another process holds the store's mutex (`locks/.mutex`), counted on the
/// monotonic clock, so a stopped or hung holder never hangs anyone else for ever and a step of the wall
/// clock neither shortens nor stretches the wait.
public struct MutexWait: Sendable {
    /// When waiting stops.
    public let deadline: ContinuousClock.Instant
    /// True when the deadline is the caller's own `--wait`: running out is `timeout` (exit 4). Otherwise it is
    /// the standard bound, and running out is `io_error` naming the holder.
    public let isCallersWait: Bool

    /// The bound without `--wait`: 10 seconds, far above any change's critical section (milliseconds).
    public static let standardSeconds = 10

    /// The standard bound, from now.
    public static func standard() -> MutexWait {
        MutexWait(deadline: .now + .seconds(standardSeconds), isCallersWait: false)
    }

    /// The caller's own deadline (`--wait`); at least the standard bound's reach is never needed for it.
    public static func until(_ deadline: ContinuousClock.Instant) -> MutexWait {
        MutexWait(deadline: deadline, isCallersWait: true)
    }
}
