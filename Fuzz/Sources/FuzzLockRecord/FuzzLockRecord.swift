// Lock records: `LockRecord(data:)` on arbitrary bytes.
//
// Must never crash. Invariants checked:
// - a refusal is `invalid_lock` with a message;
// - a record that reads is written by `fileData()` in a form that reads back, and reads back as
//   the same record, except that timestamps are written in whole seconds (UTC), as the contract
//   says; a second write and read changes nothing at all;
// - the bytes written are stable: writing the record read back gives the same bytes;
// - parsing the record's entries never crashes (their errors are `invalid_input`);
// - "write what you can read": `writableData()` either refuses (a stable code, a message) or returns
//   exactly `fileData()`, which reads back; a token or pid read back is the number written, so an
//   extreme number (2^53 - 1, 1e308, -0, 9223372036854775807) never changes on the way through;
// - renewing the record now (a TTL of 1 s and of the maximum) gives an `expires_at` that is written
//   and read back, never shorter than the TTL.
import FuzzDriver
import Foundation
import ScopeLockCore

/// Reports a broken invariant and aborts, so that libFuzzer records the input.
func violated(_ what: String, _ data: Data) -> Never {
    let shown = String(decoding: data.prefix(2000), as: UTF8.self)
    FileHandle.standardError.write(Data("invariant violated: \(what)\ninput: \(shown.debugDescription)\n".utf8))
    abort()
}

/// `record` as it is expected to read back after one write: timestamps in whole seconds.
func canonical(_ record: LockRecord, _ data: Data) -> LockRecord {
    var result = record
    guard let lockedAt = Timestamp.parse(Timestamp.format(record.lockedAt)),
          let expiresAt = Timestamp.parse(Timestamp.format(record.expiresAt))
    else {
        violated("a timestamp read is written as \(Timestamp.format(record.lockedAt)) / \(Timestamp.format(record.expiresAt)), which does not read back", data)
    }
    result.lockedAt = lockedAt
    result.expiresAt = expiresAt
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLockRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Data(bytes: $0, count: size) } ?? Data()
    let record: LockRecord
    do {
        record = try LockRecord(data: input)
    } catch {
        if error.code.rawValue != "invalid_lock" { violated("refused with \(error.code.rawValue), not invalid_lock", input) }
        if error.message.isEmpty { violated("refused without a message", input) }
        return 0
    }

    let expected = canonical(record, input)
    let written = record.fileData()
    let again: LockRecord
    do {
        again = try LockRecord(data: written)
    } catch {
        violated("the record as written does not read back (\(error.message)):\n\(String(decoding: written, as: UTF8.self))", input)
    }
    if again != expected {
        violated("the record as written reads back differently:\n\(String(decoding: written, as: UTF8.self))\nread back: \(again)\nexpected: \(expected)", input)
    }
    let rewritten = again.fileData()
    if rewritten != written {
        violated("writing the record read back gives other bytes:\n\(String(decoding: written, as: UTF8.self))\n\(String(decoding: rewritten, as: UTF8.self))", input)
    }
    do {
        let third = try LockRecord(data: rewritten)
        if third != again { violated("a second write and read changes the record", input) }
    } catch {
        violated("the record written twice does not read back (\(error.message))", input)
    }

    do {
        let checked = try record.writableData()
        if checked != written { violated("writableData() differs from fileData()", input) }
        if again.token != record.token || again.pid != record.pid { violated("a token or pid changed on the way through", input) }
    } catch {
        if error.message.isEmpty { violated("writableData() refused without a message", input) }
    }
    let now = Date()
    for seconds in [1, TimeToLive.maximumSeconds] {
        var renewed = record
        renewed.expiresAt = TimeToLive.expiry(grantedAt: now, seconds: seconds)
        if renewed.expiresAt < now.addingTimeInterval(Double(seconds)) { violated("a lease of \(seconds) s is shorter than its ttl", input) }
        guard let data = try? renewed.writableData() else { continue }
        guard let back = try? LockRecord(data: data), back.expiresAt == renewed.expiresAt else {
            violated("a renewed record does not read back with its expiry", input)
        }
    }

    do {
        _ = try record.entries()
    } catch {
        if error.code != "invalid_input" || error.message.isEmpty { violated("entry error \(error.code) without message", input) }
    }
    return 0
}

/// The entry point SwiftPM links this executable with; libFuzzer's driver takes over from here.
@_cdecl("FuzzLockRecord_main")
public func fuzzLockRecordMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    scopelock_fuzz_main(argc, argv)
}
