#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's environment variables, read from `environ` as they are now: what
/// `ProcessInfo.processInfo.environment` gives, without setting up `ProcessInfo`, which costs a fresh process
/// more than a lock command's own work on its environment.
public enum ProcessEnvironment {
    /// Name → value; for a name given twice, the first.
    public static var current: [String: String] {
        var variables: [String: String] = [:]
        #if canImport(Darwin)
        let first: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = _NSGetEnviron().pointee
        #else
        let first: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        #endif
        guard var entry = first else { return variables }
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "="), equals != text.startIndex {
                let name = String(text[..<equals])
                if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
            }
            entry += 1
        }
        return variables
    }
}
