/// The rule that chose the lock store (interface.md section 1), in order of precedence.
public enum StoreRule: String, Codable, Sendable, CaseIterable {
    /// `--store URL`.
    case option
    /// `SCOPELOCK_STORE`.
    case environment
    /// `.scopelock.yaml`'s `store`.
    case configuration
    /// None named one: the file store in the output directory.
    case `default`

    /// The rule in words, for people.
    public var explanation: String {
        switch self {
        case .option: "--store"
        case .environment: "SCOPELOCK_STORE"
        case .configuration: "store in .scopelock.yaml"
        case .default: "the default: the file store in the output directory"
        }
    }
}
