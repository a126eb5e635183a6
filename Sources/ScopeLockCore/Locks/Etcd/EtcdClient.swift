import Foundation
import Synchronization

/// Why an etcd call failed.
enum EtcdFailure: Error, Sendable {
    /// No endpoint answered the call; `detail` says what each one did. `uncertain` is true when some
    /// endpoint may have received the request (it timed out or broke off after sending), so a write may
    /// have been applied all the same.
    case unreachable(detail: String, uncertain: Bool)
    /// The cluster answered with an error: a gRPC status code and its message.
    case rejected(code: Int, message: String)
}

/// The calls of etcd's v3 JSON gateway that the lock store needs, over HTTP POST. Endpoints are tried in
/// turn: when one cannot be reached or has no leader, the next one gets the call; the endpoint that last
/// answered is tried first next time (for the whole process).
struct EtcdClient: Sendable {
    let configuration: EtcdConfiguration
    let http: BlockingHTTP
    /// How long a call keeps trying endpoints that exist but cannot serve (no leader, timeouts), in seconds.
    let patience: TimeInterval
    /// After this many rounds in which no endpoint even accepted a connection, the cluster is down.
    let refusedRounds: Int

    init(configuration: EtcdConfiguration, http: BlockingHTTP = BlockingHTTP(), patience: TimeInterval = 20, refusedRounds: Int = 3) {
        self.configuration = configuration
        self.http = http
        self.patience = patience
        self.refusedRounds = refusedRounds
    }

    /// The endpoint index that answered last, per cluster, shared by every store of the process.
    private static let preferred = Mutex<[String: Int]>([:])

    // MARK: calls

    func range(prefix: Data) throws(EtcdFailure) -> EtcdWire.RangeResponse {
        try call("/v3/kv/range", EtcdWire.RangeRequest(key: prefix, rangeEnd: EtcdWire.rangeEnd(ofPrefix: prefix))).response
    }

    /// Runs a transaction. `uncertain` is true when an earlier try of the same call may have been applied
    /// (so a failed compare may be the effect of this very transaction).
    func txn(_ request: EtcdWire.TxnRequest) throws(EtcdFailure) -> (response: EtcdWire.TxnResponse, uncertain: Bool) {
        try call("/v3/kv/txn", request)
    }

    /// Grants a lease of `ttl` seconds; returns its id.
    func grantLease(ttl: Int64) throws(EtcdFailure) -> Int64 {
        let answer: EtcdWire.LeaseGrantResponse = try call("/v3/lease/grant", EtcdWire.LeaseGrantRequest(ttl: .init(ttl))).response
        if let error = answer.error, !error.isEmpty { throw .rejected(code: 0, message: error) }
        guard let id = answer.id?.value, id != 0 else { throw .rejected(code: 0, message: "lease grant returned no lease id") }
        return id
    }

    /// Revokes a lease (deleting any key still attached to it). Best effort: one round over the endpoints,
    /// and a lease that is already gone is fine.
    func revokeLease(_ id: Int64) {
        let quick = EtcdClient(configuration: configuration, http: http, patience: 0, refusedRounds: 1)
        do {
            let _: (response: EtcdWire.Empty, uncertain: Bool) = try quick.call("/v3/lease/revoke", EtcdWire.LeaseRevokeRequest(id: .init(id)))
        } catch {
            // Not found: it expired already. Unreachable: it expires by itself at its TTL.
        }
    }

    /// Renews a lease once; returns the TTL it has now, 0 or less when it is gone.
    func keepAlive(_ id: Int64) throws(EtcdFailure) -> Int64 {
        let quick = EtcdClient(configuration: configuration, http: http, patience: 1, refusedRounds: 1)
        let answer: EtcdWire.LeaseKeepAliveStreamResponse = try quick.call(
            "/v3/lease/keepalive", EtcdWire.LeaseKeepAliveRequest(id: .init(id))
        ).response
        return answer.result?.ttl?.value ?? 0
    }

    // MARK: transport

    /// POSTs `request` to `path` on the first endpoint that serves it and decodes the answer.
    private func call<Request: Encodable, Response: Decodable>(
        _ path: String, _ request: Request
    ) throws(EtcdFailure) -> (response: Response, uncertain: Bool) {
        let body: Data
        do { body = try JSONEncoder().encode(request) } catch {
            throw .rejected(code: 3, message: "cannot encode the request: \(error)")
        }
        let endpoints = configuration.endpoints
        let key = configuration.description
        let start = Date()
        var uncertain = false
        var allRefusedRounds = 0
        var round = 0
        while true {
            let first = Self.preferred.withLock { $0[key] ?? 0 } % endpoints.count
            var failures: [String] = []
            var allRefused = true
            for offset in 0..<endpoints.count {
                let index = (first + offset) % endpoints.count
                let endpoint = endpoints[index]
                switch http.post(host: endpoint.host, port: endpoint.port, path: path, body: body) {
                case .failed(let message, let delivered):
                    failures.append("\(endpoint): \(message)")
                    if delivered {
                        allRefused = false
                        uncertain = true
                    }
                case .answered(let status, let data):
                    allRefused = false
                    if status == 200 {
                        do {
                            let response = try JSONDecoder().decode(Response.self, from: data)
                            Self.preferred.withLock { $0[key] = index }
                            return (response, uncertain)
                        } catch {
                            failures.append("\(endpoint): not an etcd answer (HTTP 200, \(data.count) bytes)")
                            uncertain = true
                            continue
                        }
                    }
                    let failure = try? JSONDecoder().decode(EtcdWire.Failure.self, from: data)
                    let message = failure?.message ?? failure?.error ?? "HTTP \(status)"
                    let code = failure?.code ?? 0
                    // Unavailable (no leader, leader changed, request timed out), deadline exceeded, too many
                    // requests, or an HTTP-level server error: another member may serve it.
                    if status >= 500 || status == 429 || [4, 8, 14].contains(code) || failure == nil {
                        failures.append("\(endpoint): \(message)")
                        uncertain = true
                        continue
                    }
                    Self.preferred.withLock { $0[key] = index }
                    throw .rejected(code: code, message: message)
                }
            }
            round += 1
            if allRefused { allRefusedRounds += 1 }
            if allRefusedRounds >= refusedRounds || Date().timeIntervalSince(start) >= patience {
                throw .unreachable(detail: failures.joined(separator: "; "), uncertain: uncertain)
            }
            Thread.sleep(forTimeInterval: min(0.05 * Double(1 << min(round, 5)), 1) * Double.random(in: 0.5...1.0))
        }
    }
}
