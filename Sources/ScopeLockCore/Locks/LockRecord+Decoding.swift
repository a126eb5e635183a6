import Foundation
import ScopeLockProtocol

extension LockRecord {
    /// The largest record file that is read; anything larger is invalid.
    public static let maximumFileSize = 1 << 20

    /// The instants a record's timestamps may hold: those written as UTC `YYYY-MM-DDTHH:MM:SSZ` with a
    /// four-digit year. An offset can carry a timestamp that reads past either end
    /// (`0000-01-01T00:00:00+01:00`); such a record would be written in a form that does not read back.
    private static let writableDates: Range<Date> =
        Timestamp.parse("0000-01-01T00:00:00Z")!..<Timestamp.parse("9999-12-31T23:59:59Z")!.addingTimeInterval(1)

    /// The integers (`token`, `pid`) a record may hold: those every JSON reader reads exactly.
    static let integerRange = -CheckedNumber.largestExactInteger...CheckedNumber.largestExactInteger

    /// Reads a record from the bytes of a lock file; throws `invalid_lock` saying which field is wrong.
    public init(data: Data) throws(ErrorInfo) {
        try self.init(bytes: Array(data))
    }

    /// Reads a record from the bytes of a lock file; throws `invalid_lock` saying which field is wrong.
    public init(bytes: [UInt8]) throws(ErrorInfo) {
        let object: JSONValue
        do throws(JSONParser.Failure) {
            object = try JSONParser.parse(bytes)
        } catch {
            throw ErrorInfo(.invalidLock, "not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let fields) = object else { throw ErrorInfo(.invalidLock, "not a JSON object") }
        self = try LockRecord(jsonObject: fields)
    }

    /// Reads a record from a decoded JSON object, checking every known field's type.
    public init(jsonObject fields: [String: JSONValue]) throws(ErrorInfo) {
        func fail(_ message: String) -> ErrorInfo { ErrorInfo(.invalidLock, message) }
        func string(_ key: String, required: Bool) throws(ErrorInfo) -> String? {
            switch fields[key] {
            case .string(let value): return value
            case nil, .null?: if required { throw fail("missing required field \"\(key)\"") } else { return nil }
            default: throw fail("field \"\(key)\" must be a string")
            }
        }
        func strings(_ key: String, required: Bool) throws(ErrorInfo) -> [String]? {
            switch fields[key] {
            case .array(let values):
                var result: [String] = []
                for value in values {
                    guard case .string(let text) = value else { throw fail("field \"\(key)\" must be an array of strings") }
                    result.append(text)
                }
                return result
            case nil, .null?: if required { throw fail("missing required field \"\(key)\"") } else { return nil }
            default: throw fail("field \"\(key)\" must be an array of strings")
            }
        }
        func date(_ key: String) throws(ErrorInfo) -> Date {
            let text = try string(key, required: true)!
            guard let value = Timestamp.parse(text) else { throw fail("field \"\(key)\" is not an RFC 3339 timestamp: \(text.debugDescription)") }
            guard Self.writableDates.contains(value) else {
                throw fail("field \"\(key)\" is outside the years 0000 to 9999 once converted to UTC, so it cannot be written back: \(text.debugDescription)")
            }
            return value
        }
        func integer(_ key: String) throws(ErrorInfo) -> Int64? {
            switch fields[key] {
            case .number(let value):
                guard let whole = CheckedNumber.integer(value, in: Self.integerRange) else {
                    throw fail("field \"\(key)\" must be an integer of at most 2^53 - 1 in size")
                }
                return whole
            case nil, .null?: return nil
            default: throw fail("field \"\(key)\" must be an integer")
            }
        }
        let agent = try string("agent", required: true)!
        let lockedAt = try date("locked_at")
        let files = try strings("files", required: true)!
        let directories = try strings("directories", required: false)
        let task = try string("task_description", required: false)
        let expiresAt = try date("expires_at")
        var mode: LockMode?
        if let text = try string("mode", required: false) {
            guard let value = LockMode(rawValue: text) else { throw fail("field \"mode\" must be \"exclusive\" or \"shared\"") }
            mode = value
        }
        let token = try integer("token")
        let pid = try integer("pid")
        let host = try string("host", required: false)
        var holder: Holder?
        if let value = fields["holder"], value != .null { holder = try Holder(jsonValue: value) }
        self.init(
            agent: agent, lockedAt: lockedAt, files: files, directories: directories, taskDescription: task,
            expiresAt: expiresAt, mode: mode, token: token, pid: pid.flatMap { Int32(exactly: $0) }, host: host
        )
        excludes = try strings("excludes", required: false)
        self.holder = holder
        if let seconds = try integer("ttl_seconds") {
            guard (1...Int64(TimeToLive.maximumSeconds)).contains(seconds) else {
                throw fail("field \"ttl_seconds\" must be a whole number of seconds from 1 to \(TimeToLive.maximumSeconds) (365 days)")
            }
            ttlSeconds = Int(seconds)
        }
        let known: Set<String> = [
            "excludes", "ttl_seconds",
            "agent", "locked_at", "files", "directories", "task_description", "expires_at", "mode", "token", "pid", "host", "holder",
        ]
        extra = fields.filter { !known.contains($0.key) }
    }

    /// The bytes this tool writes for the record: indented JSON, sorted keys, trailing newline.
    public func fileData() -> Data {
        Data((JSONValue.object(jsonObject).prettyPrinted() + "\n").utf8)
    }

    /// `fileData()`, checked against every limit the reader applies before anything is written ("write what
    /// you can read"): the size, the timestamps' range, the token. A record that would not read back is
    /// `invalid_input` (the request asked for it), and nothing is written.
    public func writableData() throws(ErrorInfo) -> Data {
        for (name, date) in [("locked_at", lockedAt), ("expires_at", expiresAt)] where !Self.writableDates.contains(date) {
            throw ErrorInfo(
                .invalidInput,
                "the lock for \(agent) would have \(name) outside the years 0000 to 9999, which no record can hold; use a shorter ttl",
                agent: agent
            )
        }
        if let token, !Self.integerRange.contains(token) {
            throw ErrorInfo(.ioError, "fencing token \(token) for \(agent) is larger than a record can hold (2^53 - 1)", agent: agent)
        }
        let data = fileData()
        guard data.count <= Self.maximumFileSize else {
            throw ErrorInfo(
                .invalidInput,
                "the lock record for \(agent) would be \(data.count) bytes, over the 1 MiB limit records are read with; "
                    + "lock fewer or shorter entries (a directory instead of many files), or a shorter task",
                agent: agent
            )
        }
        return data
    }
}
