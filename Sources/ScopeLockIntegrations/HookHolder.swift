import Foundation

/// The process a lock claimed through a hook lives with: the agent's own process, found as the nearest ancestor
/// of the hook that is not a shell (the tool runs its hooks through `sh -c`, which exits with the hook).
public enum HookHolder {
    /// Programs that run a hook for the tool and end with it: never the holder.
    static let intermediaries: Set<String> = ["sh", "bash", "dash", "zsh", "fish", "ksh", "mksh", "tcsh", "csh", "busybox", "env", "timeout", "nice", "nohup", "stdbuf", "xargs", "scopelock"]

    /// The pid of the nearest non-shell ancestor of this process, or nil when none can be read (not Linux).
    public static func agentProcess(startingAt pid: Int32 = getppid()) -> Int32? {
        var current = pid
        for _ in 0..<32 {
            guard current > 1, let (name, parent) = status(of: current) else { return nil }
            if !intermediaries.contains(name) { return current }
            current = parent
        }
        return nil
    }

    /// A process's command name and parent, from /proc/PID/stat (`pid (comm) state ppid ...`).
    static func status(of pid: Int32) -> (name: String, parent: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
        else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let parent = Int32(fields[1]) else { return nil }
        return (name, parent)
    }
}
