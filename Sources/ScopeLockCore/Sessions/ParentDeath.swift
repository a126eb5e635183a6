#if canImport(Glibc)
import Glibc
#endif

/// The parent-death signal (`prctl(PR_SET_PDEATHSIG)`): the kernel sends it to this process when the
/// thread that started it ends. `run` starts commands from a thread that lives as long as `run` does.
public enum ParentDeath {
    private typealias Control = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    private static let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG

    /// Asks for `signal` when the parent dies; false where the system cannot.
    @discardableResult
    public static func requestSignal(_ signal: Int32) -> Bool {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return false }
        let prctl = unsafeBitCast(symbol, to: Control.self)
        return prctl(setParentDeathSignal, UInt(signal), 0, 0, 0) == 0
    }
}
