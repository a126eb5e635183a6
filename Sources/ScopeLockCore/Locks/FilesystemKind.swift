import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Network and FUSE filesystems, where `flock` and rename may not give the guarantees the file store
/// relies on across machines. The file store refuses them (`unsafe_directory`) unless
/// `SCOPELOCK_ALLOW_NETWORK_FS=1`; teams on several machines should use the etcd store instead.
enum FilesystemKind {
    /// Filesystem types (as `/proc/self/mountinfo` names them) shared over a network or run in user space.
    static let riskyTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "afs", "9p", "ocfs2", "lustre", "glusterfs", "gfs2", "fuse",
        "fuseblk", "davfs", "sshfs",
    ]

    /// What is known of each device seen: a filesystem's type belongs to the mounted device, so a long-running
    /// process (`serve`) reads the mount table once per device, not once per request.
    private static let knownDevices = Mutex<[UInt64: String?]>([:])

    /// The type of the risky filesystem holding `path`, which lies on `device` (`st_dev`), or nil.
    static func riskyType(of path: String, device: UInt64) -> String? {
        if let known = knownDevices.withLock({ $0[device] }) { return known }
        let type = riskyType(of: path)
        knownDevices.withLock { $0[device] = type }
        return type
    }

    /// The type of the risky filesystem holding `path`, or nil (also when it cannot be told).
    static func riskyType(of path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        let target = String(cString: resolved)
        free(resolved)
        guard let table = readMountTable() else { return nil }
        return riskyType(of: target, mountTable: table)
    }

    /// `/proc/self/mountinfo`, read with plain system calls: a fresh process that reads it through Foundation's
    /// `String(contentsOfFile:)` pays more for that than for the rest of a release.
    static func readMountTable() -> String? {
        let fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The type of the risky filesystem holding the absolute, resolved `target`, given a mountinfo table.
    static func riskyType(of target: String, mountTable table: String) -> String? {
        var best: (mountPoint: String, type: String)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = unescape(String(fields[4]))
            let inside = target == mountPoint || mountPoint == "/" || target.hasPrefix(mountPoint + "/")
            if inside, mountPoint.count >= (best?.mountPoint.count ?? -1) {
                best = (mountPoint, String(fields[dash + 1]))
            }
        }
        guard let type = best?.type else { return nil }
        let base = type.split(separator: ".").first.map(String.init) ?? type  // fuse.sshfs → fuse
        return riskyTypes.contains(type) || riskyTypes.contains(base) ? type : nil
    }

    /// Whether the user accepted a network filesystem.
    static let allowed = getenv("SCOPELOCK_ALLOW_NETWORK_FS").map { String(cString: $0) } == "1"

    /// mountinfo escapes space, tab, newline and backslash as `\ooo`.
    private static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "\\"), utf8.count >= 3, let value = UInt8(String(decoding: utf8.prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(value)
                utf8 = utf8.dropFirst(3)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
