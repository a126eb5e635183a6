extension ScalarRanges {
    /// Windows tried in order when a witness needs one scalar from a set:
    /// lower-case letters, digits, upper-case letters, other printable ASCII, then non-control scalars.
    private static let readableWindows: [ClosedRange<UInt32>] = [
        0x61...0x7A, 0x30...0x39, 0x41...0x5A, 0x21...0x7E, 0xA1...0x10FFFF,
    ]

    /// A member chosen to read well in a witness path, or nil for the empty set.
    var readableMember: Unicode.Scalar? {
        for window in Self.readableWindows {
            if let scalar = first(in: window) { return scalar }
        }
        return first
    }

    /// How well `scalar` reads in a witness: the index of the first window holding it (lower is better).
    static func readability(of scalar: Unicode.Scalar) -> Int {
        readableWindows.firstIndex { $0.contains(scalar.value) } ?? readableWindows.count
    }
}
