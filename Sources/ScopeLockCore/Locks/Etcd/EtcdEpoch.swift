import Foundation

/// The value of `<prefix>/epoch`: the last fencing token issued, and the ids of the transactions that wrote it
/// most recently, newest first. A client whose answer was lost (the member died mid-request) finds out from
/// that list whether its own transaction was applied, even when others have written since.
/// Written as `{"token":17,"txns":["…","…"]}`; a bare decimal number is read too.
struct EtcdEpoch: Sendable, Equatable {
    /// How many transaction ids are kept.
    static let remembered = 32

    var token: Int64
    var transactions: [String]

    init(token: Int64, transactions: [String]) {
        self.token = token
        self.transactions = transactions
    }

    /// Reads a stored value; anything unreadable counts as token 0 (the records' own tokens still bound
    /// the next one from below).
    init(data: Data) {
        if let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), let number = Int64(text) {
            self.init(token: number, transactions: [])
            return
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let token = (object?["token"] as? NSNumber)?.int64Value ?? Int64((object?["token"] as? String) ?? "") ?? 0
        self.init(token: token, transactions: (object?["txns"] as? [Any] ?? []).compactMap { $0 as? String })
    }

    /// The value after a transaction `id` that issued tokens up to `token`.
    func next(token: Int64, transaction id: String) -> EtcdEpoch {
        EtcdEpoch(token: token, transactions: Array(([id] + transactions).prefix(Self.remembered)))
    }

    var data: Data {
        let ids = transactions.map { "\"\($0)\"" }.joined(separator: ",")
        return Data("{\"token\":\(token),\"txns\":[\(ids)]}".utf8)
    }
}
