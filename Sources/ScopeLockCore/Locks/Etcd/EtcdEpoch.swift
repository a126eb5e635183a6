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
    /// True when the stored value could not be read: no token is issued until it is repaired (fail closed,
    /// as the file store's `.epoch`), since the records alone cannot tell how high released tokens went.
    var isDamaged = false

    init(token: Int64, transactions: [String]) {
        self.token = token
        self.transactions = transactions
    }

    /// Reads a stored value: a whole number from 0 to 2^53 - 1, bare or as `token`; anything else is damaged.
    init(data: Data) {
        let range: ClosedRange<Int64> = 0...CheckedNumber.largestExactInteger
        if let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           let number = CheckedNumber.integer(text, in: range) {
            self.init(token: number, transactions: [])
            return
        }
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        var token: Int64?
        if let number = object?["token"] as? NSNumber {
            token = CheckedNumber.integer(number.doubleValue, in: range)
        } else if let text = object?["token"] as? String {
            token = CheckedNumber.integer(text, in: range)
        }
        self.init(token: token ?? 0, transactions: (object?["txns"] as? [Any] ?? []).compactMap { $0 as? String })
        isDamaged = token == nil
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
