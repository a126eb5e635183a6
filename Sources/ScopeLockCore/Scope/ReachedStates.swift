/// Product states a breadth-first search has reached, numbered by integer keys (never negative): a bitmap
/// when the product is small enough to hold one bit per state, an open-addressing hash table otherwise.
struct ReachedStates {
    /// The largest product (in states) kept as a bitmap: 16 MiB of bits.
    static let largestBitmap = 1 << 27

    private var bits: [UInt64] = []
    /// Hash slots holding keys, -1 when empty; used when `bits` is empty.
    private var slots: [Int] = []
    private var stored = 0

    /// Room for keys `0..<capacity`; nil capacity (a product too large to count) takes the hash table.
    init(capacity: Int?) {
        if let capacity, capacity <= Self.largestBitmap {
            bits = [UInt64](repeating: 0, count: (capacity + 63) / 64)
        } else {
            slots = [Int](repeating: -1, count: 1 << 12)
        }
    }

    /// Marks `key`; false when it was already marked.
    mutating func insert(_ key: Int) -> Bool {
        if !bits.isEmpty {
            let mask: UInt64 = 1 << UInt64(key & 63)
            if bits[key >> 6] & mask != 0 { return false }
            bits[key >> 6] |= mask
            return true
        }
        if (stored + 1) * 2 > slots.count { grow() }
        guard place(key, in: &slots) else { return false }
        stored += 1
        return true
    }

    /// Puts `key` in the first free slot of its probe sequence; false when it is there already.
    private func place(_ key: Int, in table: inout [Int]) -> Bool {
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let held = table[slot]
            if held == key { return false }
            if held < 0 {
                table[slot] = key
                return true
            }
            slot = (slot + 1) & mask
        }
    }

    /// Doubles the hash table.
    private mutating func grow() {
        var larger = [Int](repeating: -1, count: slots.count * 2)
        for key in slots where key >= 0 { _ = place(key, in: &larger) }
        slots = larger
    }
}
