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

    /// The type of the risky filesystem holding `path`, which lies on `device` (`st_dev`), or nil (also when it
    /// cannot be told).
    static func riskyType(of path: String, device: UInt64) -> String? {
        if let known = knownDevices.withLock({ $0[device] }) { return known }
        var type: String?
        if let table = readMountTable() {
            if let mounted = self.type(ofDevice: device, mountTable: table) {
                type = risky(mounted)
            } else if let resolved = realpath(path, nil) {
                type = riskyType(of: String(cString: resolved), mountTable: table)
                free(resolved)
            }
        }
        knownDevices.withLock { $0[device] = type }
        return type
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
        return best.flatMap { risky($0.type) }
    }

    /// The type the mount table gives the device `st_dev`, when exactly one type is mounted from it: a quicker
    /// answer than matching mount points, which needs the resolved path. A device no line names (a btrfs
    /// subvolume has one of its own) gives nil.
    static func type(ofDevice device: UInt64, mountTable table: String) -> String? {
        // glibc's major() and minor()
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~0xFFF)
        let minor = (device & 0xFF) | ((device >> 12) & ~0xFF)
        let key = "\(major):\(minor)"
        var types: Set<Substring> = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4, fields[2] == key, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            types.insert(fields[dash + 1])
        }
        return types.count == 1 ? types.first.map(String.init) : nil
    }

    /// `type` when it is a network or user-space filesystem type, else nil.
    private static func risky(_ type: String) -> String? {
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
