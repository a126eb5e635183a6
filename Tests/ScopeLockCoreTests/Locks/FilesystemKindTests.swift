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

    /// The mount table is read whole: it names the root mount, as every Linux mount table does.
    @Test func theMountTableIsReadWhole() throws {
        #if os(Linux)
        let table = try #require(FilesystemKind.readMountTable())
        #expect(table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(4).first == "/" })
        #endif
    }
}
