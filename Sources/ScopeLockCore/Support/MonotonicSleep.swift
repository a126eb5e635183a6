#if canImport(Glibc)
import Glibc
#endif

/// Pauses the calling thread for a duration counted on the monotonic clock (`nanosleep` is relative), so a
/// step of the wall clock neither shortens nor stretches it. For short pauses (milliseconds) between tries.
public enum MonotonicSleep {
    public static func pause(_ duration: Duration) {
        guard duration > .zero else { return }
        let parts = duration.components
        var request = timespec(tv_sec: Int(min(parts.seconds, 3600)), tv_nsec: Int(parts.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
