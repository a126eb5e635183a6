import Foundation
import ScopeLockProtocol
import Testing

@Suite struct JSONParserTests {
    /// Random values written by Foundation's encoder read back equal.
    @Test func readsBackWhatTheEncoderWrites() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["a", "/", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "é", "\u{2028}", "😀", "\u{FFFF}", " "]
        func string() -> String {
            var view = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...8, using: &generator) { view.append(alphabet.randomElement(using: &generator)!) }
            return String(view)
        }
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 3 ? 3 : 5), using: &generator) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &generator))
            case 2: return Bool.random(using: &generator) ? .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)))
                : .number(Double.random(in: -1e6...1e6, using: &generator))
            case 3: return .string(string())
            case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in value(depth + 1) })
            default:
                var fields: [String: JSONValue] = [:]
                for _ in 0..<Int.random(in: 0...4, using: &generator) { fields[string()] = value(depth + 1) }
                return .object(fields)
            }
        }
        for _ in 0..<2_000 {
            let original = value(0)
            let data = try JSONEncoder().encode(original)
            #expect(try JSONParser.parse(Array(data)) == original, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test(arguments: [
        (#"  {"a" : [ ] , "b":{}}  "#, JSONValue.object(["a": .array([]), "b": .object([:])])),
        (#""\u00e9\ud83d\ude00\/\b\f\n\r\t""#, .string("é😀/\u{8}\u{C}\n\r\t")),
        ("-0.5e+2", .number(-50)),
        ("[true,false,null]", .array([.bool(true), .bool(false), .null])),
    ] as [(String, JSONValue)])
    func readsTheGrammar(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", #"{"a":1,}"#, "01", "1.", ".5", "-", "+1", "1e", "tru", "nul", #""abc"#, #""\x""#,
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\u12G4""#, #"{"a":1,"a":2}"#, "{} x", "[1 2]", #"{"a" 1}"#,
        #"{1:2}"#, "1e400", "\"a\u{1}b\"", "NaN", "'a'",
    ])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONParser.parse(Array(fine.utf8))) != nil)
    }
}
