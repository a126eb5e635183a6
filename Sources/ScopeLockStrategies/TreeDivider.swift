/// Divides a directory along the repository tree so that it stops touching other agents' entries.
///
/// A part of the directory that no foreign entry overlaps stays whole (a sub-directory entry `d/sub/`, or an
/// exact file); a part some foreign entry overlaps is divided further, down to single files, and a file a
/// foreign entry covers is left to that entry. Only files in the tree are kept: paths that do not exist yet
/// under a divided part belong to nobody's piece.
struct TreeDivider: Sendable {
    /// One piece of a divided directory: entry text naming a literal directory (ending in `/`) or file.
    struct Piece: Sendable, Equatable {
        let text: String
        let isDirectory: Bool
    }

    /// Repository files (literal paths), sorted.
    let tree: [String]

    /// The pieces of the literal directory `directory` (ending in `/`) that `foreign` leaves free, in tree order;
    /// nil when a piece cannot be written as an entry.
    func pieces(of directory: String, avoiding foreign: [ParsedEntry]) -> [Piece]? {
        guard let whole = try? ParsedEntry(PathEscaping.escape(directory), directory: true) else { return nil }
        let touching = foreign.filter { $0.witness(with: whole) != nil }
        if touching.isEmpty { return [Piece(text: whole.text, isDirectory: true)] }
        var pieces: [Piece] = []
        for child in children(of: directory) {
            if child.hasSuffix("/") {
                guard let inner = self.pieces(of: child, avoiding: touching) else { return nil }
                pieces += inner
            } else if !touching.contains(where: { $0.matches(child) }) {
                pieces.append(Piece(text: PathEscaping.escape(child), isDirectory: false))
            }
        }
        return pieces
    }

    /// The tree files under the literal directory `directory`.
    func files(under directory: String) -> [String] {
        tree.filter { $0.hasPrefix(directory) && $0.count > directory.count }
    }

    /// The immediate children of `directory` in the tree: files, and sub-directories ending in `/`, sorted.
    private func children(of directory: String) -> [String] {
        var children: [String] = []
        var seen = Set<String>()
        for path in files(under: directory) {
            let rest = path.dropFirst(directory.count)
            let child: String
            if let slash = rest.firstIndex(of: "/") {
                child = directory + rest[..<slash] + "/"
            } else {
                child = path
            }
            if seen.insert(child).inserted { children.append(child) }
        }
        return children.sorted()
    }
}
