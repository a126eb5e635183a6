#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads small text files (a `.git` file, `commondir`, `.scopelock.yaml`) with plain system calls.
enum SmallFile {
    /// Why a file could not be read.
    enum Failure: Error {
        case missing
        case notRegular
        case tooLarge
        case unreadable(Int32)
    }

    /// The file's text, or nil when it is missing, not a regular file, unreadable, larger than `limit` or not UTF-8.
    static func read(_ path: String, limit: Int) -> String? {
        guard case .success(let bytes) = bytes(path, limit: limit) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The file's bytes, or why they could not be read.
    static func bytes(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        guard Int(info.st_size) <= limit else { return .failure(.tooLarge) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(errno))
            }
            if count == 0 { break }
            result += buffer[0..<count]
            if result.count > limit { return .failure(.tooLarge) }
        }
        return .success(result)
    }
}

/// The system's `read(2)`, named apart from `SmallFile.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
