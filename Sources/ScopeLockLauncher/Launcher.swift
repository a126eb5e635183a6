#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ScopeLockCommands
import ScopeLockPluginKit
import ScopeLockProtocol
import ScopeLockStrategies

/// The one executable behind every installed name. Called `scopelock`, it is the command line; called
/// `scopelock-strategy-NAME` (a link to it), it is the built-in strategy NAME, a plugin speaking
/// `scopelock.strategy/1` like any other, so that an install is one binary and a few links. The hot lock commands take
/// the fast path past ArgumentParser when their arguments allow it (`FastPath`).
public enum Launcher {
    /// Runs the program its name (`argv[0]`) asks for; never returns for a strategy.
    public static func main(arguments: [String] = CommandLine.arguments) async {
        if let strategy = strategyName(invokedAs: arguments.first ?? "") {
            guard let builtIn = BuiltInStrategies.all[strategy] else {
                let names = BuiltInStrategies.all.keys.sorted().joined(separator: ", ")
                let message = "scopelock: this executable holds the built-in strategies \(names), not \(strategy.debugDescription); "
                    + "install a plugin called \(StrategyProtocol.executablePrefix)\(strategy) of its own instead of a link to scopelock\n"
                let bytes = Array(message.utf8)
                _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                exit(2)
            }
            PluginMain.run(builtIn, arguments: arguments)
        }
        if let command = FastPath.command(Array(arguments.dropFirst())) {
            await FastPath.execute(command)
        }
        await ScopeLockCommand.execute()
    }

    /// The strategy NAME when the program was started as `scopelock-strategy-NAME` (any folder), else nil.
    public static func strategyName(invokedAs argument0: String) -> String? {
        let name = argument0.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? argument0
        guard name.hasPrefix(StrategyProtocol.executablePrefix) else { return nil }
        return String(name.dropFirst(StrategyProtocol.executablePrefix.count))
    }
}
