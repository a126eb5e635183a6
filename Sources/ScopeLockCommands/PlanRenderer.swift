import ScopeLockCore
import ScopeLockProtocol

/// Draws a plan for people: short text, or a Mermaid or Graphviz graph of agents, conflicts and waves.
enum PlanRenderer {
    /// Agent- or plugin-written text, safe to print.
    private static func escaped(_ text: String) -> String { ControlCharacters.escaped(text) }

    static func text(_ plan: PlanResult) -> String {
        var lines = ["workflow \(plan.workflow): \(plan.conflicts.count) conflict(s), \(plan.waves.count) wave(s), strategy \(plan.strategy.name) \(plan.strategy.version)"]
        for conflict in plan.conflicts {
            let overlap = conflict.overlaps[0]
            lines.append(
                "  conflict \(conflict.agents.joined(separator: " x ")): \(overlap.entries.map(escaped).joined(separator: " and ")) "
                    + "both cover \(escaped(overlap.witness))"
            )
        }
        for action in plan.actions {
            lines.append("  \(action.kind.rawValue) \(action.agents.joined(separator: ", ")): \(escaped(action.reason))")
        }
        for (index, wave) in plan.waves.enumerated() {
            lines.append("wave \(index + 1): \(wave.joined(separator: ", "))")
            for name in wave {
                guard let agent = plan.agents.first(where: { $0.name == name }) else { continue }
                lines.append("  \(name): \((agent.directories + agent.files).map(escaped).joined(separator: " "))")
            }
        }
        if !plan.readOnly.isEmpty { lines.append("read-only: \(plan.readOnly.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }

    static func mermaid(_ plan: PlanResult) -> String {
        var lines = ["flowchart LR"]
        for (index, wave) in plan.waves.enumerated() {
            lines.append("  subgraph wave\(index + 1)[\"wave \(index + 1)\"]")
            for name in wave { lines.append("    \(id(name))[\"\(name)\"]") }
            lines.append("  end")
        }
        for conflict in plan.conflicts {
            lines.append("  \(id(conflict.agents[0])) -. \"\(conflict.overlaps[0].witness)\" .- \(id(conflict.agents[1]))")
        }
        for index in plan.waves.indices.dropFirst() { lines.append("  wave\(index) --> wave\(index + 1)") }
        return lines.joined(separator: "\n")
    }

    static func dot(_ plan: PlanResult) -> String {
        var lines = ["graph plan {", "  rankdir=LR;"]
        for (index, wave) in plan.waves.enumerated() {
            lines.append("  subgraph cluster_wave\(index + 1) {")
            lines.append("    label=\"wave \(index + 1)\";")
            for name in wave { lines.append("    \(quoted(name));") }
            lines.append("  }")
        }
        for conflict in plan.conflicts {
            lines.append("  \(quoted(conflict.agents[0])) -- \(quoted(conflict.agents[1])) [style=dashed, color=red, label=\(quoted(conflict.overlaps[0].witness))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// A Mermaid node id: agent names may hold `.` and `-`, which Mermaid ids may not.
    private static func id(_ name: String) -> String {
        "a_" + name.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
