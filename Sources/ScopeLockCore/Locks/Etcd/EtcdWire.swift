import Foundation

/// The JSON shapes of etcd's v3 gateway (grpc-gateway's mapping of the gRPC API): byte fields are base64,
/// 64-bit integers are decimal strings, and fields holding their zero value are left out.
enum EtcdWire {
    /// A 64-bit integer as the gateway writes it: a decimal string (a plain number is read too); absent is 0.
    struct Int64Text: Codable, Sendable, Equatable {
        var value: Int64

        init(_ value: Int64) { self.value = value }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), let number = Int64(text) {
                value = number
            } else {
                value = try container.decode(Int64.self)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(String(value))
        }
    }

    struct ResponseHeader: Decodable, Sendable {
        var revision: Int64Text?
    }

    /// One stored key as a range read returns it.
    struct KeyValue: Decodable, Sendable {
        var key: Data
        var value: Data?
        var createRevision: Int64Text?
        var modRevision: Int64Text?
        var lease: Int64Text?

        enum CodingKeys: String, CodingKey {
            case key, value, lease
            case createRevision = "create_revision"
            case modRevision = "mod_revision"
        }
    }

    struct RangeRequest: Encodable {
        var key: Data
        var rangeEnd: Data

        enum CodingKeys: String, CodingKey {
            case key
            case rangeEnd = "range_end"
        }
    }

    struct RangeResponse: Decodable, Sendable {
        var header: ResponseHeader?
        var kvs: [KeyValue]?
    }

    /// A guard of a transaction.
    struct Compare: Encodable {
        enum Target: String, Encodable { case create = "CREATE", mod = "MOD" }
        enum Result: String, Encodable { case equal = "EQUAL", less = "LESS" }

        var key: Data
        var rangeEnd: Data?
        var target: Target
        var result: Result
        var revision: Int64

        enum CodingKeys: String, CodingKey {
            case key, target, result
            case rangeEnd = "range_end"
            case createRevision = "create_revision"
            case modRevision = "mod_revision"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encodeIfPresent(rangeEnd, forKey: .rangeEnd)
            try container.encode(target, forKey: .target)
            try container.encode(result, forKey: .result)
            try container.encode(Int64Text(revision), forKey: target == .create ? .createRevision : .modRevision)
        }
    }

    /// One operation of a transaction: a put or a delete of a key or range.
    enum Operation: Encodable {
        case put(key: Data, value: Data, lease: Int64)
        case delete(key: Data, rangeEnd: Data?)

        private enum CodingKeys: String, CodingKey {
            case requestPut = "request_put"
            case requestDeleteRange = "request_delete_range"
        }

        private enum FieldKeys: String, CodingKey {
            case key, value, lease
            case rangeEnd = "range_end"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .put(let key, let value, let lease):
                var fields = container.nestedContainer(keyedBy: FieldKeys.self, forKey: .requestPut)
                try fields.encode(key, forKey: .key)
                try fields.encode(value, forKey: .value)
                if lease != 0 { try fields.encode(Int64Text(lease), forKey: .lease) }
            case .delete(let key, let rangeEnd):
                var fields = container.nestedContainer(keyedBy: FieldKeys.self, forKey: .requestDeleteRange)
                try fields.encode(key, forKey: .key)
                try fields.encodeIfPresent(rangeEnd, forKey: .rangeEnd)
            }
        }
    }

    struct TxnRequest: Encodable {
        var compare: [Compare]
        var success: [Operation]
    }

    struct TxnResponse: Decodable, Sendable {
        var header: ResponseHeader?
        var succeeded: Bool?
    }

    struct LeaseGrantRequest: Encodable {
        var ttl: Int64Text
        enum CodingKeys: String, CodingKey { case ttl = "TTL" }
    }

    struct LeaseGrantResponse: Decodable, Sendable {
        var id: Int64Text?
        var ttl: Int64Text?
        var error: String?
        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case ttl = "TTL"
            case error
        }
    }

    struct LeaseRevokeRequest: Encodable {
        var id: Int64Text
        enum CodingKeys: String, CodingKey { case id = "ID" }
    }

    struct LeaseKeepAliveRequest: Encodable {
        var id: Int64Text
        enum CodingKeys: String, CodingKey { case id = "ID" }
    }

    /// A keep-alive's answer comes as one message of a stream: `{"result": {"ID", "TTL"}}`; a TTL of 0 or
    /// less (or none) means the lease is gone.
    struct LeaseKeepAliveStreamResponse: Decodable, Sendable {
        struct Result: Decodable, Sendable {
            var ttl: Int64Text?
            enum CodingKeys: String, CodingKey { case ttl = "TTL" }
        }
        var result: Result?
    }

    /// A watch of every key in a range, from now on: its `create_request` names the range as a range request does.
    struct WatchRequest: Encodable {
        var createRequest: RangeRequest
        enum CodingKeys: String, CodingKey { case createRequest = "create_request" }
    }

    struct Empty: Decodable, Sendable {}

    /// The body of a refused call: `{"error", "message", "code"}` with a gRPC status code.
    struct Failure: Decodable, Sendable {
        var error: String?
        var message: String?
        var code: Int?
    }
}

extension EtcdWire {
    /// The end of the range holding every key that starts with `prefix`: the prefix with its last byte
    /// incremented (trailing 0xff bytes dropped first), as etcd's own clients compute it.
    static func rangeEnd(ofPrefix prefix: Data) -> Data {
        var bytes = [UInt8](prefix)
        while let last = bytes.last {
            if last < 0xff {
                bytes[bytes.count - 1] = last + 1
                return Data(bytes)
            }
            bytes.removeLast()
        }
        return Data([0])  // every key
    }
}
