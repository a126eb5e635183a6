import ScopeLockPluginKit

/// The strategies that ship with scopelock, each also built as a `scopelock-strategy-NAME` executable.
public enum BuiltInStrategies {
    /// The version every built-in strategy reports on `describe`.
    public static let version = "0.1.0"

    /// Every built-in strategy, by name.
    public static let all: [String: any Strategy] = [
        "sequential": SequentialStrategy(),
        "reassign": ReassignStrategy(),
        "split": SplitStrategy(),
        "merge": MergeStrategy(),
    ]
}
