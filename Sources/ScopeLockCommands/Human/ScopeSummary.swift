/// A lock's entries shortened to fit a column: whole entries while they fit, then `+N more`; one entry
/// longer than the column keeps its start and its end around `…`.
enum ScopeSummary {
    static func shorten(_ entries: [String], width: Int) -> String {
        guard !entries.isEmpty else { return "-" }
        let whole = entries.joined(separator: " ")
        if whole.count <= width { return whole }
        var shown: [String] = []
        var used = 0
        for (index, entry) in entries.enumerated() {
            let rest = entries.count - index - 1
            let suffix = rest > 0 ? " +\(rest) more" : ""
            let cost = (shown.isEmpty ? 0 : 1) + entry.count
            if used + cost + suffix.count <= width {
                shown.append(entry)
                used += cost
                continue
            }
            if shown.isEmpty {
                let more = " +\(entries.count - 1) more"
                return middle(entry, width: max(8, width - (entries.count > 1 ? more.count : 0))) + (entries.count > 1 ? more : "")
            }
            return shown.joined(separator: " ") + " +\(entries.count - shown.count) more"
        }
        return shown.joined(separator: " ")
    }

    /// `text` cut in the middle to `width` characters.
    static func middle(_ text: String, width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        let head = (width - 1) / 2
        let tail = width - 1 - head
        return String(text.prefix(head)) + "…" + String(text.suffix(tail))
    }

    /// `text` cut at its end to `width` characters.
    static func end(_ text: String, width: Int) -> String {
        guard text.count > width, width > 1 else { return text }
        return String(text.prefix(width - 1)) + "…"
    }
}
