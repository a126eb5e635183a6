import Foundation
import ScopeLockProtocol

/// Which lock store a workspace uses, as `--store` or `SCOPELOCK_STORE` names it: `file` (the default:
/// `<output>/locks/`) or `etcd://host:port[,host:port...]/prefix`.
public enum StoreLocation: Sendable, Equatable {
    /// One file per lock in `<output>/locks/` (`FileLockStore`).
    case files
    /// Records in an etcd cluster (`EtcdLockStore`).
    case etcd(EtcdConfiguration)

    /// Parses a store name; empty means the default file store. Throws `invalid_input` for anything else.
    public init(parsing text: String) throws(ErrorInfo) {
        let trimmed = text.trimmingCharacters(in: " \t")
        if trimmed.isEmpty || trimmed == "file" || trimmed == "files" {
            self = .files
        } else if trimmed.hasPrefix("etcd://") {
            self = .etcd(try EtcdConfiguration(parsing: trimmed))
        } else {
            throw ErrorInfo(
                .invalidInput,
                "unknown store \(text.debugDescription): use file (the default) or etcd://host:port[,host:port...]/prefix"
            )
        }
    }

    /// The store of an output directory. The file store lives in it; an etcd store ignores it (its prefix
    /// says which workflow's locks it holds).
    public var makeStore: @Sendable (String) -> any LockStore {
        switch self {
        case .files:
            return { FileLockStore(outputDirectory: $0) }
        case .etcd(let configuration):
            return { _ in EtcdLockStore(configuration: configuration) }
        }
    }

    /// The store named by `option`, else by `SCOPELOCK_STORE` in `environment`, else the file store. A name
    /// that cannot be parsed gives a store whose every use fails with that `invalid_input` error.
    public static func makeStore(option: String?, environment: [String: String]) -> @Sendable (String) -> any LockStore {
        let text = [option, environment["SCOPELOCK_STORE"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        do throws(ErrorInfo) {
            return try StoreLocation(parsing: text).makeStore
        } catch {
            return { _ in UnusableLockStore(error: error) }
        }
    }
}

/// A store that could not be set up: every use fails with the error that says why.
struct UnusableLockStore: LockStore {
    let error: ErrorInfo

    var location: String { "(no store)" }

    func snapshot(_ selection: RecordSelection) throws(ErrorInfo) -> LockSnapshot { throw error }

    func transact(
        _ selection: RecordSelection, wait: MutexWait, _ decide: (LockSnapshot) throws(ErrorInfo) -> [LockChange]
    ) throws(ErrorInfo) -> TransactionOutcome {
        throw error
    }
}
