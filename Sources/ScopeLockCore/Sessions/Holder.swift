import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ScopeLockProtocol

/// The process a lock (or a waiter) lives with: its pid and host, and what tells it apart from a later
/// process that reuses the pid — its start time (clock ticks after boot, field 22 of `/proc/PID/stat`) and
/// the boot id (`/proc/sys/kernel/random/boot_id`). Recorded as `holder` in a lock record.
public struct Holder: Sendable, Equatable, Hashable {
    public var pid: Int32
    public var host: String
    /// Clock ticks after boot when the process started; nil when unknown (then the pid alone is checked).
    public var startTime: UInt64?
    /// The boot the process belongs to; nil when unknown.
    public var bootID: String?

    public init(pid: Int32, host: String, startTime: UInt64?, bootID: String?) {
        self.pid = pid
        self.host = host
        self.startTime = startTime
        self.bootID = bootID
    }

    /// This process.
    public static func current() -> Holder {
        let pid = getpid()
        return Holder(pid: pid, host: HostName.current, startTime: ProcessStat.read(pid)?.startTime, bootID: BootID.current)
    }

    /// The live process `pid` on this host; nil when there is none (or it has exited and awaits its parent).
    public static func process(_ pid: Int32) -> Holder? {
        guard pid > 0, let stat = ProcessStat.read(pid), !stat.hasExited else { return nil }
        return Holder(pid: pid, host: HostName.current, startTime: stat.startTime, bootID: BootID.current)
    }

    /// Whether this holder lives on this machine, where its liveness can be told.
    public var isLocal: Bool { host == HostName.current }

    /// True when the holder's process is known to be gone: it lives on this host, and this host has booted
    /// since, or no process has its pid, or the one that has it started at another time, or it has exited
    /// (a zombie). A holder on another host is never known to be gone (its lock lives by TTL there).
    public var isGone: Bool {
        guard isLocal else { return false }
        if let bootID, let current = BootID.current, bootID != current { return true }
        guard let stat = ProcessStat.read(pid) else {
            // Hidden from /proc (hidepid) but signalable: still there.
            return !(kill(pid, 0) == 0 || errno == EPERM)
        }
        if stat.hasExited { return true }
        if let startTime, stat.startTime != startTime { return true }
        return false
    }

    /// A descriptor that becomes readable when the holder's process exits (a pidfd), for waiters that
    /// want to wake at once; nil when the holder is not on this host, is already gone, or pidfds are not
    /// available. The caller closes it.
    public func exitDescriptor() -> Int32? {
        guard isLocal else { return nil }
        guard let open = PidFD.open else { return nil }
        let fd = open(pid, 0)
        guard fd >= 0 else { return nil }
        if isGone {  // the pid may have been reused just before it was opened
            close(fd)
            return nil
        }
        return fd
    }

    /// The record's `holder` object.
    public var jsonObject: [String: JSONValue] {
        var object: [String: JSONValue] = ["pid": .number(Double(pid)), "host": .string(host)]
        if let startTime { object["start_time"] = .number(Double(startTime)) }
        if let bootID { object["boot_id"] = .string(bootID) }
        return object
    }

    /// Reads a `holder` object; nil with the reason when it is malformed.
    public init(jsonValue: JSONValue) throws(ErrorInfo) {
        func fail(_ message: String) -> ErrorInfo { ErrorInfo(.invalidLock, "field \"holder\" " + message) }
        guard case .object(let fields) = jsonValue else { throw fail("must be an object") }
        guard case .number(let pid)? = fields["pid"], pid.rounded() == pid, let pidValue = Int32(exactly: pid), pidValue > 0 else {
            throw fail("must have a positive integer \"pid\"")
        }
        guard case .string(let host)? = fields["host"] else { throw fail("must have a string \"host\"") }
        var startTime: UInt64?
        switch fields["start_time"] {
        case nil, .null?: break
        case .number(let value)? where value.rounded() == value && value >= 0 && value < 9.0e15: startTime = UInt64(value)
        default: throw fail("\"start_time\" must be a non-negative integer")
        }
        var bootID: String?
        switch fields["boot_id"] {
        case nil, .null?: break
        case .string(let value)?: bootID = value
        default: throw fail("\"boot_id\" must be a string")
        }
        self.init(pid: pidValue, host: host, startTime: startTime, bootID: bootID)
    }
}

/// `pidfd_open(2)`, looked up at run time (glibc 2.36 has it; older ones do not, and waiters then wake
/// on their deadline instead of on the exit).
enum PidFD {
    typealias Open = @convention(c) (pid_t, UInt32) -> Int32
    static let open: Open? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: Open.self)
    }()
}

/// What `/proc/PID/stat` says about a process.
struct ProcessStat {
    /// One-letter state: `Z` (zombie) and `X` (dead) mean it has exited.
    let state: Character
    let startTime: UInt64

    var hasExited: Bool { state == "Z" || state == "X" }

    /// Reads `/proc/PID/stat`; nil when there is no such process.
    static func read(_ pid: Int32) -> ProcessStat? {
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name is in parentheses and may itself hold spaces and parentheses: fields follow the last `)`.
        guard let close = buffer[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = buffer[(close + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 19, let state = fields[0].first,
              let start = UInt64(String(decoding: fields[19], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return ProcessStat(state: Character(UnicodeScalar(state)), startTime: start)
    }
}

/// This boot's id, `/proc/sys/kernel/random/boot_id`; nil where there is none.
enum BootID {
    static let current: String? = {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }()
}

extension Holder: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(JSONValue.object(jsonObject))
    }
}
