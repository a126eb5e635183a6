import ScopeLockCore
import Testing

@Suite("Excludes")
struct ExcludeTests {
    static func scope(_ entries: [String], except excludes: [String]) throws -> ScopeMatcher {
        try ScopeMatcher(entries: entries.map { try ScopeEntry(parsing: $0) }, excludes: excludes.map { try ScopeEntry(parsing: $0) })
    }

    /// The error compiling the scope raises, or nil when it compiles.
    static func refusal(_ entries: [String], except excludes: [String]) throws -> ScopeError? {
        let parsedEntries = try entries.map { try ScopeEntry(parsing: $0) }
        let parsedExcludes = try excludes.map { try ScopeEntry(parsing: $0) }
        do throws(ScopeError) {
            _ = try ScopeMatcher(entries: parsedEntries, excludes: parsedExcludes)
            return nil
        } catch {
            return error
        }
    }

    @Test("the developer less the tests and the tester's tests do not overlap; a third scope meets the developer")
    func seedPattern() throws {
        let developer = try Self.scope(["backend/pkg/integrations/qualys/"], except: ["backend/pkg/integrations/qualys/*_test.go"])
        let tester = try Self.scope(["backend/pkg/integrations/*/*_test.go"], except: [])
        #expect(developer.overlaps(with: tester).isEmpty)
        #expect(tester.overlaps(with: developer).isEmpty)
        #expect(!developer.covers("backend/pkg/integrations/qualys/client_test.go"))
        #expect(developer.covers("backend/pkg/integrations/qualys/client.go"))
        #expect(developer.covers("backend/pkg/integrations/qualys/sub/x_test.go"))
        #expect(tester.covers("backend/pkg/integrations/qualys/client_test.go"))
        let third = try Self.scope(["backend/pkg/integrations/qualys/client.go"], except: [])
        #expect(developer.overlaps(with: third).map(\.witness) == ["backend/pkg/integrations/qualys/client.go"])
        // A glob over the whole folder meets the developer on a file the exclude leaves.
        let wide = try Self.scope(["backend/pkg/integrations/qualys/*"], except: [])
        let witness = try #require(developer.overlaps(with: wide).first?.witness)
        #expect(developer.covers(witness) && wide.covers(witness))
        #expect(!witness.hasSuffix("_test.go"))
    }

    @Test("an exclude that removes all of an entry is refused, naming the entry and the exclude")
    func emptiedEntry() throws {
        #expect(throws: ScopeError.self) { try Self.scope(["src/a.go"], except: ["src/"]) }
        let error = try #require(try Self.refusal(["src/", "lib/x.go"], except: ["lib/*.go"]))
        #expect(error.entry == "lib/x.go")
        #expect(error.message.contains("\"lib/*.go\""))
        #expect(error.code == "invalid_input")
        // `d/` less `d/*` still covers `d/a/b`.
        _ = try Self.scope(["d/"], except: ["d/*"])
        #expect(throws: ScopeError.self) { try Self.scope(["d/"], except: ["d/**"]) }
        #expect(throws: ScopeError.self) { try Self.scope(["d/*.go"], except: ["d/{*.go,x}"]) }
    }

    @Test("excludes that determinise into too many states are refused, not searched")
    func tooComplex() throws {
        #expect(throws: ScopeError.self) { try ExcludeSet([try ScopeEntry(parsing: "*a" + String(repeating: "?", count: 12))]) }
        _ = try ExcludeSet([try ScopeEntry(parsing: "*a" + String(repeating: "?", count: 6))])
        let error = try #require(try Self.refusal(["**"], except: ["**/*a" + String(repeating: "?", count: 12)]))
        #expect(error.message.hasPrefix("exclude "))
    }

    @Test("describe says what is left out")
    func describe() throws {
        let developer = try Self.scope(["qualys/"], except: ["qualys/*_test.go"])
        #expect(developer.description == "qualys/ except qualys/*_test.go")
        #expect(try Self.scope(["a", "b/"], except: []).description == "a, b/")
    }
}
