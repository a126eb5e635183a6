import ScopeLockCore

/// One event as a line for people: time, event, agent, token, scope, and for a refusal the lock in the way.
enum EventLine {
    static func render(_ event: LockEvent, style: TerminalStyle = .plain) -> String {
        let tone: TerminalStyle.Tone = switch event.event {
        case .acquire, .renew: .green
        case .release, .prune, .clear: .blue
        case .expire, .force: .yellow
        case .refuse: .red
        case .wait: .yellow
        }
        let kind = event.event.rawValue
        var line = style.paint(ControlCharacters.escaped(event.time), .dim) + "  "
            + style.paint(kind, tone) + String(repeating: " ", count: max(1, 9 - kind.count))
            + ControlCharacters.escaped(event.agent ?? "-")
        if let token = event.token { line += "  #\(token)" }
        if let scope = event.scope, !scope.isEmpty { line += "  " + ScopeSummary.shorten(scope.map { ControlCharacters.escaped($0) }, width: 60) }
        if let conflict = event.conflict {
            let entries = conflict.entries.map { ControlCharacters.escaped($0) }
            line += "  ("
                + "\(ControlCharacters.escaped(conflict.holder)) holds \(entries.first ?? "?"); "
                + "both cover \(ControlCharacters.escaped(conflict.witness)))"
        }
        return line
    }
}
