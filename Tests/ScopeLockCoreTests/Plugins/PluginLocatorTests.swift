import Foundation
import ScopeLockCore
import Testing

@Suite struct PluginLocatorTests {
    /// Four folders, one per place in the search order.
    struct Folders {
        let root: String
        var pluginDirectory: String { root + "/plugin-dir" }
        var pluginPath: String { root + "/plugin-path" }
        var executableDirectory: String { root + "/bin" }
        var path: String { root + "/path" }
        var all: [String] { [pluginDirectory, pluginPath, executableDirectory, path] }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("scopelock-locator-\(UUID().uuidString.prefix(8))").path
            for folder in [pluginDirectory, pluginPath, executableDirectory, path] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }

        func locator(extraPath: [String] = []) -> PluginLocator {
            PluginLocator(
                pluginDirectories: [pluginDirectory],
                environment: ["SCOPELOCK_PLUGIN_PATH": ":" + pluginPath + ":", "PATH": ([path] + extraPath).joined(separator: ":")],
                executableDirectory: executableDirectory
            )
        }

        @discardableResult
        func add(_ file: String, in folder: String, mode: Int = 0o755) throws -> String {
            let full = folder + "/" + file
            try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: full))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: full)
            return full
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func searchesPluginDirThenPluginPathThenOwnFolderThenPath() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let locator = folders.locator()
        #expect(locator.searchDirectories == folders.all)
        var expected: [String] = []
        for folder in folders.all.reversed() {
            expected.insert(try folders.add("scopelock-strategy-x", in: folder), at: 0)
            #expect(locator.locate("x") == expected[0])
        }
        #expect(locator.all() == [FoundPlugin(name: "x", path: expected[0], shadowed: Array(expected.dropFirst()))])
    }

    @Test func listsEveryPluginByNameWithWhatItShadows() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let merge = try folders.add("scopelock-strategy-merge", in: folders.executableDirectory)
        let mergeOnPath = try folders.add("scopelock-strategy-merge", in: folders.path)
        let custom = try folders.add("scopelock-strategy-custom.py", in: folders.pluginPath)
        let split = try folders.add("scopelock-strategy-split", in: folders.path)
        #expect(folders.locator().all() == [
            FoundPlugin(name: "custom.py", path: custom, shadowed: []),
            FoundPlugin(name: "merge", path: merge, shadowed: [mergeOnPath]),
            FoundPlugin(name: "split", path: split, shadowed: []),
        ])
    }

    @Test func onlyRegularExecutablesWithValidNamesCount() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.add("scopelock-strategy-plain", in: folders.pluginDirectory, mode: 0o644)
        try FileManager.default.createDirectory(atPath: folders.pluginDirectory + "/scopelock-strategy-folder", withIntermediateDirectories: true)
        try folders.add("scopelock-strategy-.hidden", in: folders.pluginDirectory)
        try folders.add("scopelock-strategy-", in: folders.pluginDirectory)
        try folders.add("other-tool", in: folders.pluginDirectory)
        let target = try folders.add("real-plugin", in: folders.root)
        try FileManager.default.createSymbolicLink(atPath: folders.pluginDirectory + "/scopelock-strategy-linked", withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: folders.pluginDirectory + "/scopelock-strategy-dangling", withDestinationPath: folders.root + "/missing")
        let locator = folders.locator()
        #expect(locator.all().map(\.name) == ["linked"])
        #expect(locator.locate("linked") == folders.pluginDirectory + "/scopelock-strategy-linked")
        for name in ["plain", "folder", ".hidden", "", "dangling", "../plugin-dir/scopelock-strategy-linked", "missing"] {
            #expect(locator.locate(name) == nil, "\(name)")
        }
    }

    @Test func aFolderListedTwiceIsSearchedOnce() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let path = try folders.add("scopelock-strategy-x", in: folders.pluginDirectory)
        let locator = folders.locator(extraPath: [folders.pluginDirectory, folders.pluginDirectory + "/"])
        #expect(locator.searchDirectories == folders.all)
        #expect(locator.all() == [FoundPlugin(name: "x", path: path, shadowed: [])])
    }

    @Test func withoutAnOwnFolderTheSearchGoesStraightToPath() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let locator = PluginLocator(pluginDirectories: [], environment: ["PATH": folders.path], executableDirectory: nil)
        #expect(locator.searchDirectories == [folders.path])
        let path = try folders.add("scopelock-strategy-y", in: folders.path)
        #expect(locator.locate("y") == path)
    }

    @Test(arguments: ["sequential", "a", "A1", "my.strategy", "my_strategy-2", "9lives"])
    func acceptsStrategyNames(_ name: String) {
        #expect(PluginLocator.isValidName(name))
    }

    @Test(arguments: ["", ".hidden", "-flag", "_x", "a/b", "a b", "ünï", "a:b", "..", "x\n"])
    func rejectsOtherNames(_ name: String) {
        #expect(!PluginLocator.isValidName(name))
    }
}
