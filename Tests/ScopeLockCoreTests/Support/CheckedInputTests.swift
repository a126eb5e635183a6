import Foundation
import Testing
import ScopeLockProtocol
@testable import ScopeLockCore

/// The shared checked pieces: number conversion, durations and their bounds, `expires_at` rounding, control
/// character escaping, and the event log reader.
@Suite struct CheckedInputTests {
    @Test(arguments: [
        ("0", 0 as Int64?), ("42", 42), ("-7", -7), ("9007199254740991", 9_007_199_254_740_991), ("9007199254740992", nil),
        ("9223372036854775807", nil), ("99999999999999999999", nil), ("", nil), ("-", nil), ("+1", nil), (" 1", nil),
        ("1_000", nil), ("١٢", nil), ("1e3", nil), ("0x10", nil),
    ])
    func integersFromText(_ text: String, _ expected: Int64?) {
        #expect(CheckedNumber.integer(text, in: -CheckedNumber.largestExactInteger...CheckedNumber.largestExactInteger) == expected)
    }

    @Test(arguments: [
        (1.0, 1 as Int64?), (-3.0, -3), (1.5, nil), (.nan, nil), (.infinity, nil), (-.infinity, nil), (1e300, nil),
        (9_223_372_036_854_775_807.0, nil), (9_007_199_254_740_991.0, 9_007_199_254_740_991), (9_007_199_254_740_992.0, nil),
    ])
    func integersFromNumbers(_ value: Double, _ expected: Int64?) {
        #expect(CheckedNumber.integer(value, in: -CheckedNumber.largestExactInteger...CheckedNumber.largestExactInteger) == expected)
    }

    @Test func sumsNeverOverflow() {
        #expect(CheckedNumber.sum(.max, 1, in: 0...Int64.max) == nil)
        #expect(CheckedNumber.sum(CheckedNumber.largestExactInteger, 1, in: 0...CheckedNumber.largestExactInteger) == nil)
        #expect(CheckedNumber.sum(1, 2, in: 0...10) == 3)
    }

    @Test(arguments: [
        ("90s", 90 as Int?), ("15m", 900), ("1h", 3600), ("1h30m", 5400), ("31536000", 31_536_000), ("8760h", 31_536_000),
        ("0001", 1), ("0", nil), ("0s", nil), ("", nil), ("h", nil), ("1m1h", nil), ("1x", nil), ("-1", nil), ("1.5h", nil),
        ("31536001", nil), ("8761h", nil), ("9223372036854775807", nil), ("9223372036854775807h", nil),
        ("99999999999999999999999999s", nil), ("2562047788015216h", nil),
    ])
    func durations(_ text: String, _ expected: Int?) {
        #expect(DurationText.seconds(text) == expected)
    }

    @Test func durationsPastAYearSayWhy() {
        #expect(DurationText.parse("1000000000000") == .failure(.tooLong))
        #expect(DurationText.parse("9999999h") == .failure(.tooLong))
        #expect(DurationText.parse("1y") == .failure(.malformed))
    }

    @Test func expiryIsRoundedUp() {
        let grant = Date(timeIntervalSince1970: 1_000_000.25)
        #expect(TimeToLive.expiry(grantedAt: grant, seconds: 1) == Date(timeIntervalSince1970: 1_000_002))
        let whole = Date(timeIntervalSince1970: 1_000_000)
        #expect(TimeToLive.expiry(grantedAt: whole, seconds: 1) == Date(timeIntervalSince1970: 1_000_001))
    }

    @Test func controlCharactersAreEscaped() {
        #expect(ControlCharacters.escaped("plain/path.go") == "plain/path.go")
        #expect(ControlCharacters.escaped("a\u{1B}[31mb") == "a\\u{1B}[31mb")
        #expect(ControlCharacters.escaped("l1\nl2\t\r") == "l1\\nl2\\t\\r")
        #expect(ControlCharacters.escaped("l1\nl2\u{07}", keepingNewlines: true) == "l1\nl2\\u{7}")
        #expect(ControlCharacters.escaped("\u{9B}2J\u{7F}\u{202E}") == "\\u{9B}2J\\u{7F}\\u{202E}")
        #expect(ControlCharacters.escaped("café ü 日本") == "café ü 日本")
    }

    @Test func eventLogReadersSkipATornLastLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = try JSONCoding.line(LockEvent(time: Date(), event: .acquire, agent: "a", token: 1))
        try (line + "\n" + line + "\n" + String(line.prefix(10))).write(toFile: path, atomically: false, encoding: .utf8)
        let chunk = try EventLog(path: path).read()
        #expect(chunk.events.count == 2 && chunk.skipped == 0)
        #expect(chunk.offset == UInt64(2 * (line.utf8.count + 1)))
    }

    @Test func writableDataRefusesWhatCannotBeRead() throws {
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        var record = LockRecord(
            agent: "a", lockedAt: time, files: ["x"], directories: nil, taskDescription: nil,
            expiresAt: Date(timeIntervalSince1970: 1e13), mode: nil, token: 1, pid: nil, host: nil
        )
        #expect(throws: ErrorInfo.self) { try record.writableData() }
        record.expiresAt = time.addingTimeInterval(60)
        record.token = CheckedNumber.largestExactInteger
        let data = try record.writableData()
        #expect(try LockRecord(data: data).token == CheckedNumber.largestExactInteger)
        record.files = (0..<300).map { _ in String(repeating: "y", count: 4000) }
        #expect(throws: ErrorInfo.self) { try record.writableData() }
    }
}
