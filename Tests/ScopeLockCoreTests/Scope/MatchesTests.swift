import ScopeLockCore
import Testing

@Suite("CompiledEntry.matches")
struct MatchesTests {
    @Test("every construct", arguments: [
        // exact files, case-sensitive, scalar-exact
        ("src/a.py", "src/a.py", true), ("src/a.py", "src/a.pyc", false), ("src/a.py", "src/A.py", false),
        ("caf\u{E9}", "caf\u{E9}", true), ("caf\u{E9}", "cafe\u{301}", false),
        // *
        ("*", "a", true), ("*", ".env", true), ("*", "a/b", false), ("src/*", "src", false),
        ("src/*", "src/x", true), ("*.py", ".py", true), ("*.py", "dir/x.py", false), ("a*b*c", "abxbc", true),
        ("***", "abc", true), ("a***", "a/b", false),
        // ?
        ("?", "a", true), ("?", "ab", false), ("?", "\u{E9}", true), ("?", "e\u{301}", false), ("a?c", "a/c", false),
        // classes
        ("[abc]", "b", true), ("[abc]", "d", false), ("[a-c]x", "bx", true), ("[!a]", "a", false),
        ("[!a]", "b", true), ("[^a]", "b", true), ("[^a]", "^", true), ("[]]", "]", true), ("[]a]", "a", true),
        ("[!]]", "]", false), ("[!]]", "x", true), ("[a-]", "-", true), ("[a\\]]", "]", true),
        ("a[/]b", "a/b", false), ("a[!x]b", "a/b", false), ("[.]", ".", false), ("[.]x", ".x", true),
        // escapes
        ("\\*", "*", true), ("\\*", "a", false), ("a\\?", "a?", true), ("\\[x]", "[x]", true), ("a\\\\b", "a\\b", true),
        // **
        ("**", "a", true), ("**", "a/b/c", true), ("**/x", "x", true), ("**/x", "a/b/x", true),
        ("a/**", "a", false), ("a/**", "a/b", true), ("a/**", "a/b/c", true), ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true), ("a/**/b", "a/xb", false), ("a**", "abc", true), ("a**", "a/b", false),
        ("**a", "x/a", false), ("**.go", "a.go", true), ("**.go", "d/a.go", false), ("**/**", "a", true),
        ("a/**/**/b", "a/b", true),
        // braces
        ("{a,b}", "a", true), ("{a,b}", "c", false), ("{a,b/c}/x", "b/c/x", true), ("{a,{b,c}d}", "cd", true),
        ("x{,y}", "x", true), ("x{,y}", "xy", true), ("{a}", "a", true), ("{**/,}x", "a/b/x", true),
        ("{**,a}/x", "p/q/x", true), ("{**,a}/x", "x", true), ("a/{**,z}", "a/b/c", true), ("a/{**,z}", "a", false),
        ("{a/,b}**", "a/x/y", true), ("{a/,b}**", "bxy", true), ("{a/,b}**", "b/x", false), ("a/{x,}**", "a/xy/z", true), ("{x,y}**", "x/y", false), ("{x,y}**", "xz", true),
        // directories
        ("src/", "src/a", true), ("src/", "src", false), ("src/", "src/a/b", true), ("a/b/", "a/bc/x", false),
        ("src/*/", "src/x/y", true), ("src/*/", "src/x", false), ("{a,b}/", "b/x", true),
        // invalid paths never match
        ("*", "", false), ("**", "a//b", false), ("**", "./a", false), ("**", "a/", false), ("**", "/a", false),
        ("**", "a/../b", false), ("src/", "src/./x", false), ("a", "./a", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) throws {
        let compiled = CompiledEntry(try ScopeEntry(parsing: pattern))
        #expect(compiled.matches(path) == expected)
        #expect(ReferenceGlobMatcher(compiled.entry.text).matches(path) == expected)
    }

    @Test("witnesses are short and readable", arguments: [
        ("*", "*", "a"), ("src/**", "**/*.md", "src/.md"), ("[!a-z0-9]", "*", "A"), ("a/", "a/b/", "a/b/a"),
        ("a/b/", "a/", "a/b/a"), ("*/", "x*/y", "x/y"), ("*/", "x*", nil), ("{a,b/c}/x.go", "src/b/*/x.go", nil), ("a/", "b/", nil),
        ("[.]*", "?", nil), ("*", "..?", "..a"),
    ] as [(String, String, String?)])
    func witness(left: String, right: String, expected: String?) throws {
        let witness = try ScopeEntry(parsing: left).overlapWitness(with: ScopeEntry(parsing: right))
        #expect(witness == expected)
    }
}
