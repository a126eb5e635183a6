import Foundation
import Synchronization

/// Keeps this process's waiter leases alive while it waits: a waiter's key in etcd lives on a short lease
/// (`EtcdLockStore.waiterLeaseTTL`), renewed here every `interval`, so that a waiter whose process dies or
/// hangs — on any host — leaves the queue within seconds, while a live one keeps its place for as long as
/// it waits. A lease is kept from the transaction that queued the waiter until one that dequeued it (the
/// store then revokes it), or until etcd says it is gone. One thread serves the whole process, and only
/// while there is a lease to keep.
enum EtcdLeaseKeeper {
    /// How often each lease is renewed: well within its TTL.
    static let interval: TimeInterval = 1

    private struct State {
        var leases: [Int64: EtcdClient] = [:]
        var running = false
    }

    private static let state = Mutex(State())

    /// Starts keeping `lease` alive through `client`.
    static func keep(_ lease: Int64, with client: EtcdClient) {
        let start = state.withLock { state in
            state.leases[lease] = client
            defer { state.running = true }
            return !state.running
        }
        guard start else { return }
        let thread = Thread { renewWhileNeeded() }
        thread.name = "scopelock etcd lease keeper"
        thread.start()
    }

    /// Stops keeping `lease` alive (it was revoked, or its key is gone).
    static func forget(_ lease: Int64) {
        _ = state.withLock { $0.leases.removeValue(forKey: lease) }
    }

    /// Whether `lease` is being kept alive.
    static func keeps(_ lease: Int64) -> Bool { state.withLock { $0.leases[lease] != nil } }

    private static func renewWhileNeeded() {
        while true {
            Thread.sleep(forTimeInterval: interval)
            let leases = state.withLock { state in
                if state.leases.isEmpty { state.running = false }
                return state.leases
            }
            if leases.isEmpty { return }
            for (lease, client) in leases {
                // A lease etcd no longer has is forgotten; an unreachable cluster is tried again next time (the
                // lease may still outlive the outage).
                if let ttl = try? client.keepAlive(lease), ttl <= 0 { forget(lease) }
            }
        }
    }
}
