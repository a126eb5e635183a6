/// The syntax of one hot command as `FastPath` reads it: the long options that take a value, the flags, and how many
/// positional arguments it takes. Anything else in an argument list makes the reading fail.
struct FastSyntax {
    /// Long option names (without `--`) that take a value; `-o` is the short form of `output-dir`.
    var options: Set<String>
    /// Long flag names (without `--`).
    var flags: Set<String>
    /// How many positional arguments the command takes.
    var positionals: ClosedRange<Int>
    /// Long option names (without `--`) that may be given more than once, each value kept in order.
    var repeatable: Set<String> = []

    /// The options every lock command takes (`GlobalOptions`): `--json`, `-o/--output-dir`, `--root`, `--store`.
    static func lockCommand(
        options: Set<String> = [], flags: Set<String> = [], repeatable: Set<String> = [], positionals: ClosedRange<Int>
    ) -> FastSyntax {
        FastSyntax(options: options.union(["output-dir", "root", "store"]), flags: flags.union(["json"]), positionals: positionals, repeatable: repeatable)
    }
}

/// An argument list read by a `FastSyntax`: option values by long name, the flags given, the positionals in order.
struct FastArguments: Equatable {
    var values: [String: String] = [:]
    /// The values of repeatable options, in the order given.
    var lists: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    /// Reads `arguments` (the ones after the command's name) the way ArgumentParser would, or returns nil for
    /// anything it is not sure about: an unknown or repeated option or flag, `-h`, `--help`, `--`, a short option other
    /// than `-o`, a flag with `=`, an empty argument, a value that starts with `-`, or the wrong number of positionals.
    init?(_ arguments: ArraySlice<String>, syntax: FastSyntax) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard let first = argument.utf8.first else { return nil }
            guard first == UInt8(ascii: "-") else {
                positionals.append(argument)
                continue
            }
            let name: String
            var inline: String?
            if argument == "-o" {
                name = "output-dir"
            } else if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    name = String(body[..<equals])
                    inline = String(body[body.index(after: equals)...])
                } else {
                    name = String(body)
                }
            } else {
                return nil
            }
            if syntax.flags.contains(name) {
                guard inline == nil, flags.insert(name).inserted else { return nil }
            } else if syntax.options.contains(name) || syntax.repeatable.contains(name) {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard index < arguments.endIndex else { return nil }
                    value = arguments[index]
                    index += 1
                }
                guard let start = value.utf8.first, start != UInt8(ascii: "-") else { return nil }
                if syntax.repeatable.contains(name) {
                    lists[name, default: []].append(value)
                } else {
                    guard values[name] == nil else { return nil }
                    values[name] = value
                }
            } else {
                return nil
            }
        }
        guard syntax.positionals.contains(positionals.count) else { return nil }
    }
}
