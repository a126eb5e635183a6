import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension LockRecord {
    /// A new record for a grant at `time` (the store adds the token): entries split into files and
    /// directories, this process's pid and host recorded, `expires_at` rounded up (never shorter than `ttl`), and
    /// `ttl` itself recorded for renewals that give none.
    static func grant(agent: String, entries: [ScopeEntry], task: String?, ttl: Int, shared: Bool, at time: Date) -> LockRecord {
        var record = LockRecord(
            agent: agent,
            lockedAt: time,
            files: entries.filter { $0.kind != .directory }.map(\.text),
            directories: entries.filter { $0.kind == .directory }.map(\.text),
            taskDescription: task,
            expiresAt: TimeToLive.expiry(grantedAt: time, seconds: ttl),
            mode: shared ? .shared : .exclusive,
            token: nil,
            pid: getpid(),
            host: HostName.current
        )
        record.ttlSeconds = TimeToLive.bounded(ttl)
        return record
    }
}
