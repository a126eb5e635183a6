// Durations and whole numbers from text: `DurationText.parse`, `CheckedNumber.integer` and `TimeToLive.expiry`
// on arbitrary input (UTF-8, invalid bytes replaced).
//
// Must never crash (no trapping arithmetic on any input, however many digits). Invariants checked:
// - an accepted duration is from 1 s to 365 days; a refused one says malformed or too long;
// - whole seconds agree with an independent reading: digits only (any count) → the number, capped;
// - `Nh`, `Nm`, `Ns` and their combinations agree with an independent sum, with the same bound;
// - `CheckedNumber.integer` accepts exactly `-?[0-9]{1,19}` whose value is in range, and returns that value;
// - `TimeToLive.expiry` of an accepted duration is a whole second, never earlier than grant + TTL, and is
//   written and read back unchanged.
import FuzzDriver
import Foundation
import ScopeLockCore

/// Reports a broken invariant and aborts, so that libFuzzer records the input.
func violated(_ what: String, _ text: String) -> Never {
    FileHandle.standardError.write(Data("invariant violated: \(what)\ninput: \(String(text.prefix(2000)).debugDescription)\n".utf8))
    abort()
}

/// The value of decimal digits with arbitrary precision folded into "more than `cap`" (nil).
func decimal(_ digits: Substring, cap: Int64) -> Int64? {
    var value: Int64 = 0
    for byte in digits.utf8 {
        value = value * 10 + Int64(byte - 48)
        if value > cap { return nil }
    }
    return value
}

/// An independent reading of a duration: nil = malformed, .some(nil) = too long, .some(n) = n seconds.
func reference(_ text: String) -> Int64?? {
    let cap = Int64(DurationText.maximumSeconds)
    let ascii = Array(text.utf8)
    if !ascii.isEmpty, ascii.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        guard let value = decimal(Substring(text), cap: cap) else { return .some(nil) }
        return value == 0 ? nil : .some(value)
    }
    var total: Int64 = 0
    var tooLong = false
    var digits = Substring()
    var start = text.startIndex
    var lastUnit: Int64 = .max
    var index = text.startIndex
    while index < text.endIndex {
        let character = text[index]
        if character.isASCII, character.isNumber {
            index = text.index(after: index)
            continue
        }
        let unit: Int64
        switch character {
        case "h": unit = 3600
        case "m": unit = 60
        case "s": unit = 1
        default: return nil
        }
        digits = text[start..<index]
        guard !digits.isEmpty, unit < lastUnit else { return nil }
        if let value = decimal(digits, cap: cap), value * unit <= cap, total + value * unit <= cap {
            total += value * unit
        } else {
            tooLong = true
        }
        lastUnit = unit
        index = text.index(after: index)
        start = index
    }
    guard start == text.endIndex, lastUnit != .max else { return nil }
    if tooLong { return .some(nil) }
    return total > 0 ? .some(total) : nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDuration(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed = DurationText.parse(text)
    let expected = reference(text)
    switch (parsed, expected) {
    case (.success(let seconds), .some(.some(let value))):
        if Int64(seconds) != value { violated("read \(seconds) s, expected \(value)", text) }
        if seconds < 1 || seconds > DurationText.maximumSeconds { violated("accepted \(seconds) s, outside 1 s to 365 days", text) }
        let grant = Date(timeIntervalSince1970: 1_700_000_000 + Double(size % 1000) / 997)
        let expiry = TimeToLive.expiry(grantedAt: grant, seconds: seconds)
        if expiry < grant.addingTimeInterval(Double(seconds)) { violated("the expiry is earlier than grant + ttl", text) }
        if expiry.timeIntervalSince1970.rounded(.down) != expiry.timeIntervalSince1970 { violated("the expiry is not a whole second", text) }
        if Timestamp.parse(Timestamp.format(expiry)) != expiry { violated("the expiry does not read back", text) }
    case (.failure(.tooLong), .some(.none)), (.failure(.malformed), .none):
        break
    default:
        violated("parse gave \(parsed), the reference \(String(describing: expected))", text)
    }

    let range: ClosedRange<Int64> = -CheckedNumber.largestExactInteger...CheckedNumber.largestExactInteger
    let number = CheckedNumber.integer(text, in: range)
    let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
    let wellFormed = !body.isEmpty && body.utf8.count <= 19 && body.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    if !wellFormed, number != nil { violated("CheckedNumber accepted malformed text", text) }
    if wellFormed {
        let magnitude = decimal(body, cap: CheckedNumber.largestExactInteger)
        let value = magnitude.map { text.hasPrefix("-") ? -$0 : $0 }
        if number != value { violated("CheckedNumber read \(String(describing: number)), expected \(String(describing: value))", text) }
    }
    if let double = Double(text) {
        let whole = CheckedNumber.integer(double, in: range)
        if let whole, Double(whole) != double { violated("CheckedNumber.integer(Double) changed the value", text) }
    }
    return 0
}

/// The entry point SwiftPM links this executable with; libFuzzer's driver takes over from here.
@_cdecl("FuzzDuration_main")
public func fuzzDurationMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    scopelock_fuzz_main(argc, argv)
}
