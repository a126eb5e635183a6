@testable import ScopeLockCore
import Testing

@Suite struct FilesystemKindTests {
    static let table = """
    22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
    40 22 0:35 / /mnt/team rw,relatime shared:20 - nfs4 server:/export rw,vers=4.2
    41 22 0:36 / /home/me/remote\\040dir rw,nosuid - fuse.sshfs me@host:/ rw
    42 40 0:37 / /mnt/team/local rw - tmpfs tmpfs rw
    """

    @Test(arguments: [
        ("/work/repo/out/locks", nil),
        ("/mnt/team/out/locks", "nfs4"),
        ("/mnt/team", "nfs4"),
        ("/mnt/teamwork/locks", nil),
        ("/home/me/remote dir/locks", "fuse.sshfs"),
        ("/mnt/team/local/locks", nil),
    ] as [(String, String?)])
    func networkAndFuseMountsAreRecognised(_ path: String, _ expected: String?) {
        #expect(FilesystemKind.riskyType(of: path, mountTable: Self.table) == expected)
    }

    /// A device's type comes from the line naming its major:minor (st_dev as glibc packs it), when one type is
    /// mounted from it; a device no line names, or one with two types, is left to the mount-point match.
    @Test(arguments: [
        (FilesystemKindTests.makedev(254, 0), "ext4"),
        (FilesystemKindTests.makedev(0, 35), "nfs4"),
        (FilesystemKindTests.makedev(0, 36), "fuse.sshfs"),
        (FilesystemKindTests.makedev(0, 99), nil),
        (FilesystemKindTests.makedev(259, 291), "xfs"),
        (FilesystemKindTests.makedev(0, 50), nil),
    ] as [(UInt64, String?)])
    func aDeviceIsFoundByItsNumbers(_ device: UInt64, _ expected: String?) {
        let table = Self.table + """

        43 22 259:291 / /data rw - xfs /dev/nvme0n1p1 rw
        44 22 0:50 / /a rw - ext4 /dev/x rw
        45 22 0:50 / /b rw - nfs server:/b rw
        """
        #expect(FilesystemKind.type(ofDevice: device, mountTable: table) == expected)
    }

    /// glibc's makedev().
    static func makedev(_ major: UInt64, _ minor: UInt64) -> UInt64 {
        (major & 0xFFF) << 8 | (major & ~0xFFF) << 32 | (minor & 0xFF) | (minor & ~0xFF) << 12
    }

    /// The mount table is read whole: it names the root mount, as every Linux mount table does.
    @Test func theMountTableIsReadWhole() throws {
        #if os(Linux)
        let table = try #require(FilesystemKind.readMountTable())
        #expect(table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(4).first == "/" })
        #endif
    }
}
