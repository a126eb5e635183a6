#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScopeLockProtocol

/// Finds strategy plugins (`scopelock-strategy-NAME` executables) in the order interface.md section 7 gives:
/// `--plugin-dir` folders, `SCOPELOCK_PLUGIN_PATH`, the folder of the running `scopelock`, then `PATH`.
public struct PluginLocator: Sendable {
    /// The folders searched, in order, without repeats.
    public let searchDirectories: [String]

    /// A locator over `pluginDirectories`, then the environment's `SCOPELOCK_PLUGIN_PATH`, then
    /// `executableDirectory`, then the environment's `PATH`. Empty path components are skipped.
    public init(
        pluginDirectories: [String],
        environment: [String: String] = ProcessEnvironment.current,
        executableDirectory: String? = PluginLocator.runningExecutableDirectory
    ) {
        func split(_ list: String?) -> [String] {
            (list ?? "").split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        }
        let ordered = pluginDirectories
            + split(environment["SCOPELOCK_PLUGIN_PATH"])
            + (executableDirectory.map { [$0] } ?? [])
            + split(environment["PATH"])
        var seen = Set<String>()
        searchDirectories = ordered.filter { !$0.isEmpty && seen.insert(PluginLocator.identity(of: $0)).inserted }
    }

    /// The path of the first plugin called `name`, or nil when none is found or the name is not valid.
    public func locate(_ name: String) -> String? {
        guard PluginLocator.isValidName(name) else { return nil }
        for directory in searchDirectories {
            let path = PluginLocator.join(directory, StrategyProtocol.executablePrefix + name)
            if PluginLocator.isRegularExecutable(path) { return path }
        }
        return nil
    }

    /// Every plugin found, sorted by name; each one shadows the same-named plugins later in the search order.
    public func all() -> [FoundPlugin] {
        var paths: [String: [String]] = [:]
        for directory in searchDirectories {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries.sorted() where entry.hasPrefix(StrategyProtocol.executablePrefix) {
                let name = String(entry.dropFirst(StrategyProtocol.executablePrefix.count))
                let path = PluginLocator.join(directory, entry)
                guard PluginLocator.isValidName(name), PluginLocator.isRegularExecutable(path) else { continue }
                paths[name, default: []].append(path)
            }
        }
        return paths.keys.sorted().map { name in
            let found = paths[name]!
            return FoundPlugin(name: name, path: found[0], shadowed: Array(found.dropFirst()))
        }
    }

    /// True when `name` can name a strategy: `^[A-Za-z0-9][A-Za-z0-9._-]*$`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// The folder of the running executable (`/proc/self/exe`), or nil where that cannot be read.
    public static var runningExecutableDirectory: String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let directory = (executable as NSString).deletingLastPathComponent
        return directory.isEmpty ? nil : directory
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// A regular file (after following symbolic links) this process may execute.
    private static func isRegularExecutable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// The folder's resolved path where it exists, so one folder listed twice is searched once.
    private static func identity(of directory: String) -> String {
        guard let resolved = realpath(directory, nil) else { return directory }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}

/// A plugin found on the search path.
public struct FoundPlugin: Sendable, Hashable {
    /// The strategy name (the part after `scopelock-strategy-`).
    public let name: String
    /// The executable that runs for this name.
    public let path: String
    /// Same-named executables later in the search order that `path` hides.
    public let shadowed: [String]

    /// A plugin called `name` at `path`, hiding `shadowed`.
    public init(name: String, path: String, shadowed: [String]) {
        self.name = name
        self.path = path
        self.shadowed = shadowed
    }
}
