extension ScopeEntry {
    /// Scalars that have a meaning in glob syntax outside a class or group.
    static let metacharacters: Set<Unicode.Scalar> = ["\\", "*", "?", "[", "{"]

    /// True when `text` holds a scalar that glob syntax would not read literally.
    static func hasMetacharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { metacharacters.contains($0) }
    }

    /// `name` with every metacharacter escaped by a backslash, so it reads back as itself.
    static func escaped(_ name: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if metacharacters.contains(scalar) { view.append("\\") }
            view.append(scalar)
        }
        return String(view)
    }

    /// The entry naming exactly the path `names` (plain segment names), written escaped.
    init(literalNames names: [String], directory: Bool, raw: String) throws(ScopeError) {
        var position = 0
        let segments = names.map { name in
            defer { position += name.unicodeScalars.count + 1 }
            return GlobSegment(nodes: name.unicodeScalars.map { GlobNode.literal($0) },
                               text: ScopeEntry.escaped(name), position: position)
        }
        try self.init(segments: segments, directory: directory, raw: raw)
    }
}
