import ScopeLockCore

/// `status` for people: a header naming where the locks are, one aligned row per lock, the locks that do
/// not hold (expired, invalid) set apart below the others, and a summary line.
struct StatusTable {
    /// Where the locks are, for the header, each with the rule that chose it.
    struct Header {
        var root: String
        var locks: String
        var store: String
        var rootReason = ""
        var locksReason = ""
        var storeReason = ""
    }

    var header: Header
    var style: TerminalStyle = .plain
    /// The widest a scope may be drawn.
    var scopeWidth = 60
    /// The widest a task may be drawn.
    var taskWidth = 32

    /// The whole table, lines joined by newlines, without a final newline.
    func render(_ result: StatusResult) -> String {
        let places = [("root", header.root, header.rootReason), ("locks", header.locks, header.locksReason), ("store", header.store, header.storeReason)]
            .map { ($0.0, ControlCharacters.escaped($0.1), $0.2) }
        let placeWidth = places.map(\.1.count).max() ?? 0
        var lines = places.map { name, value, reason in
            style.paint(name, .dim) + String(repeating: " ", count: 7 - name.count) + value
                + (reason.isEmpty ? "" : String(repeating: " ", count: placeWidth - value.count + 2) + style.paint(reason, .dim))
        }
        lines.append("")
        let holding = result.locks.filter { Self.holds($0.state) }
        let apart = result.locks.filter { !Self.holds($0.state) }
            .sorted { (Self.order($0.state), $0.agent) < (Self.order($1.state), $1.agent) }
        if result.locks.isEmpty && result.waiting.isEmpty {
            lines.append("no locks")
        } else {
            let rows = holding.map(row) + apart.map(row) + result.waiting.map(row)
            let titles = ["AGENT", "STATE", "MODE", "LEFT", "TASK", "SCOPE"]
            var widths = titles.map(\.count)
            for row in rows { for (index, cell) in row.cells.enumerated() { widths[index] = max(widths[index], cell.count) } }
            lines.append(style.paint(line(titles, widths: widths), .bold))
            for (index, row) in rows.enumerated() {
                if index == holding.count || index == holding.count + apart.count, index > 0, index < rows.count { lines.append("") }
                lines.append(line(row.cells, widths: widths, tones: [nil, row.tone]))
            }
        }
        lines.append("")
        lines.append(summary(result))
        return lines.joined(separator: "\n")
    }

    /// The last line: how many locks in each state.
    func summary(_ result: StatusResult) -> String {
        let locks = result.locks
        let waiting = result.waiting.isEmpty ? "" : " · \(result.waiting.count) waiting"
        guard !locks.isEmpty else { return "0 locks" + waiting }
        var parts = ["\(locks.count) lock" + (locks.count == 1 ? "" : "s")]
        for state in [LockStatus.State.active, .expired, .dead, .invalid] {
            let count = locks.filter { $0.state == state }.count
            guard count > 0 || state == .active else { continue }
            var part = "\(count) \(state.rawValue)"
            if state == .active {
                let shared = locks.filter { $0.state == .active && $0.lock?.isShared == true }.count
                if shared > 0 { part += " (\(shared) shared)" }
            }
            parts.append(part)
        }
        return parts.joined(separator: " · ") + waiting
    }

    /// A waiter's row: whom it waits behind in the TASK column.
    private func row(_ waiter: WaiterStatus) -> Row {
        Row(
            cells: [
                ControlCharacters.escaped(waiter.agent), waiter.state, waiter.mode.rawValue, "-",
                "behind " + ScopeSummary.end(waiter.behind.map { ControlCharacters.escaped($0) }.joined(separator: ", "), width: taskWidth),
                ScopeSummary.shorten(waiter.entries.map { ControlCharacters.escaped($0) }, width: scopeWidth),
            ],
            tone: .yellow
        )
    }

    private struct Row {
        var cells: [String]
        var tone: TerminalStyle.Tone
    }

    private func row(_ lock: LockStatus) -> Row {
        let tone: TerminalStyle.Tone = switch lock.state {
        case .active: .green
        case .expired: .yellow
        case .dead, .invalid: .red
        }
        guard let record = lock.lock else {
            let reason = "unreadable: " + (lock.reason ?? "not a lock record")
            return Row(cells: [lock.agent, lock.state.rawValue, "-", "-", "-", ScopeSummary.end(ControlCharacters.escaped(reason), width: scopeWidth)], tone: tone)
        }
        let excludes = record.excludes ?? []
        let entries = (record.directories ?? []) + record.files
        // What the scope leaves out is shown whole beside the entries: `qualys/ except qualys/*_test.go`.
        let except = excludes.isEmpty ? "" : " except " + ScopeSummary.shorten(excludes.map { ControlCharacters.escaped($0) }, width: scopeWidth)
        return Row(
            cells: [
                ControlCharacters.escaped(lock.agent),
                lock.state.rawValue,
                record.isShared ? "shared" : "exclusive",
                lock.state == .active ? TimeLeft.label(seconds: lock.secondsLeft ?? 0) : "-",
                record.taskDescription.map { ScopeSummary.end(ControlCharacters.escaped($0), width: taskWidth) } ?? "-",
                ScopeSummary.shorten(entries.map { ControlCharacters.escaped($0) }, width: scopeWidth) + except,
            ],
            tone: tone
        )
    }

    /// Cells padded to `widths`, two spaces apart, the last one unpadded; `tones[i]` colours cell i.
    private func line(_ cells: [String], widths: [Int], tones: [TerminalStyle.Tone?] = []) -> String {
        var text = ""
        for (index, cell) in cells.enumerated() {
            let last = index == cells.count - 1
            let padded = last ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count)) + "  "
            if index < tones.count, let tone = tones[index] {
                text += style.paint(cell, tone) + String(padded.dropFirst(cell.count))
            } else {
                text += padded
            }
        }
        return text
    }

    /// Whether a lock in this state is listed with the holding locks (the others are set apart).
    private static func holds(_ state: LockStatus.State) -> Bool { state == .active }

    private static func order(_ state: LockStatus.State) -> Int {
        switch state {
        case .active: 0
        case .expired: 1
        case .dead: 2
        case .invalid: 3
        }
    }
}
