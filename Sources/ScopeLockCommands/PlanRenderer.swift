import ScopeLockCore
import ScopeLockProtocol

/// Draws a plan for people: short text, or a Mermaid or Graphviz graph with each agent's scope, the waves
/// as ordered clusters, `depends_on` as arrows, read-only agents apart, and conflicts with their witness.
enum PlanRenderer {
    /// How many entries a node lists before `+N more`.
    static let entriesShown = 6

    static func text(_ plan: PlanResult) -> String {
        var lines = ["workflow \(plan.workflow): \(plan.conflicts.count) conflict(s), \(plan.waves.count) wave(s), strategy \(plan.strategy.name) \(plan.strategy.version)"]
        for conflict in plan.conflicts {
            let overlap = conflict.overlaps[0]
            lines.append("  conflict \(conflict.agents.joined(separator: " x ")): \(overlap.entries.joined(separator: " and ")) both cover \(overlap.witness)")
        }
        for action in plan.actions {
            lines.append("  \(action.kind.rawValue) \(action.agents.joined(separator: ", ")): \(action.reason)")
        }
        for (index, wave) in plan.waves.enumerated() {
            lines.append("wave \(index + 1): \(wave.joined(separator: ", "))")
            for name in wave {
                guard let agent = plan.agents.first(where: { $0.name == name }) else { continue }
                var line = "  \(name): \((agent.directories + agent.files).joined(separator: " "))"
                if let after = plan.dependsOn[name], !after.isEmpty { line += " (after \(after.joined(separator: ", ")))" }
                lines.append(line)
            }
        }
        if !plan.readOnly.isEmpty { lines.append("read-only: \(plan.readOnly.joined(separator: ", "))") }
        return lines.map { ControlCharacters.escaped($0) }.joined(separator: "\n")
    }

    // MARK: Mermaid

    static func mermaid(_ plan: PlanResult) -> String {
        var lines = [
            "---",
            "title: \"\(mermaidText(title(plan)))\"",
            "---",
            "flowchart LR",
        ]
        for (index, wave) in plan.waves.enumerated() {
            lines.append("  subgraph wave\(index + 1)[\"wave \(index + 1)\"]")
            lines.append("    direction TB")
            for name in wave { lines.append("    \(id(name))[\"\(mermaidLabel(name, scope(of: name, in: plan)))\"]") }
            lines.append("  end")
        }
        if !plan.readOnly.isEmpty {
            lines.append("  subgraph read_only[\"read-only: no lock\"]")
            lines.append("    direction TB")
            for name in plan.readOnly { lines.append("    \(id(name))([\"\(mermaidText(name))\"])") }
            lines.append("  end")
        }
        for index in plan.waves.indices.dropFirst() { lines.append("  wave\(index) ==> wave\(index + 1)") }
        for (agent, after) in dependencies(plan) {
            for dependency in after { lines.append("  \(id(dependency)) -->|depends_on| \(id(agent))") }
        }
        for conflict in plan.conflicts {
            let (first, second) = ordered(conflict, plan)
            lines.append("  \(id(first)) -. \"conflict: \(mermaidText(conflict.overlaps[0].witness))\" .- \(id(second))")
        }
        lines.append("  classDef agent fill:#eef4ff,stroke:#4a6fa5,text-align:left")
        lines.append("  classDef readonly fill:#f5f5f5,stroke:#888,stroke-dasharray:4 3")
        let writers = plan.waves.flatMap { $0 }
        if !writers.isEmpty { lines.append("  class \(writers.map(id).joined(separator: ",")) agent") }
        if !plan.readOnly.isEmpty { lines.append("  class \(plan.readOnly.map(id).joined(separator: ",")) readonly") }
        return lines.joined(separator: "\n")
    }

    // MARK: Graphviz

    static func dot(_ plan: PlanResult) -> String {
        var lines = [
            "digraph plan {",
            "  rankdir=LR; newrank=true; nodesep=0.3; ranksep=0.5;",
            "  fontname=\"Helvetica\"; fontsize=12; labelloc=t; labeljust=l;",
            // Two left-aligned lines (\l): the title, then how to read the arrows.
            "  label=\(quoted(title(plan)).dropLast())\\larrows: depends_on (runs after) · dashed red: conflict, with a path both cover\\l\";",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef4ff\", color=\"#4a6fa5\", fontname=\"Helvetica\", fontsize=10];",
            "  edge [fontname=\"Helvetica\", fontsize=9];",
        ]
        for (index, wave) in plan.waves.enumerated() {
            lines.append("  subgraph cluster_wave\(index + 1) {")
            lines.append("    label=\"wave \(index + 1)\"; style=\"rounded,filled\"; fillcolor=\"#fafbfc\"; color=\"#b0bac5\";")
            for name in wave { lines.append("    \(quoted(name)) [label=<\(htmlLabel(name, scope(of: name, in: plan)))>];") }
            lines.append("  }")
        }
        if !plan.readOnly.isEmpty {
            lines.append("  subgraph cluster_read_only {")
            lines.append("    label=\"read-only: no lock\"; style=\"rounded,dashed\"; color=\"#999999\";")
            for name in plan.readOnly {
                lines.append("    \(quoted(name)) [label=<<b>\(html(name))</b>>, style=\"rounded,dashed\", fillcolor=\"#f5f5f5\", color=\"#888888\"];")
            }
            lines.append("  }")
        }
        // Waves in order, left to right: an invisible step between consecutive waves.
        for index in plan.waves.indices.dropFirst() {
            let step = quoted("wave \(index) to \(index + 1)")
            lines.append("  \(step) [shape=point, style=invis, width=0, label=\"\"];")
            for name in plan.waves[index - 1] { lines.append("  \(quoted(name)) -> \(step) [style=invis];") }
            for name in plan.waves[index] { lines.append("  \(step) -> \(quoted(name)) [style=invis];") }
        }
        for (agent, after) in dependencies(plan) {
            for dependency in after {
                lines.append("  \(quoted(dependency)) -> \(quoted(agent)) [color=\"#4a6fa5\", penwidth=1.4, tooltip=\(quoted("\(agent) depends on \(dependency)"))];")
            }
        }
        for conflict in plan.conflicts {
            let (first, second) = ordered(conflict, plan)
            let overlap = conflict.overlaps[0]
            let tooltip = "\(overlap.entries.joined(separator: " and ")) both cover \(overlap.witness)"
            lines.append(
                "  \(quoted(first)) -> \(quoted(second)) [dir=none, style=dashed, color=\"#c0392b\", fontcolor=\"#c0392b\", "
                    + "label=\(quoted("conflict: " + overlap.witness)), tooltip=\(quoted(tooltip))];"
            )
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    // MARK: Shared pieces

    /// The graph's title: the workflow and what was found.
    private static func title(_ plan: PlanResult) -> String {
        let conflicts = plan.conflicts.count
        return "\(plan.workflow): \(plan.waves.count) wave\(plan.waves.count == 1 ? "" : "s"), "
            + "\(conflicts) conflict\(conflicts == 1 ? "" : "s"), strategy \(plan.strategy.name)"
    }

    /// A final agent's entries, directories first, at most `entriesShown` and then `+N more`.
    private static func scope(of name: String, in plan: PlanResult) -> [String] {
        guard let agent = plan.agents.first(where: { $0.name == name }) else { return [] }
        let entries = agent.directories + agent.files
        guard entries.count > entriesShown else { return entries }
        return Array(entries.prefix(entriesShown - 1)) + ["+\(entries.count - entriesShown + 1) more"]
    }

    /// `depends_on` in a stable order: agents as the plan lists them.
    private static func dependencies(_ plan: PlanResult) -> [(String, [String])] {
        plan.dependsOn.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// A conflict's agents, the one in the earlier wave first (so the edge runs with the waves).
    private static func ordered(_ conflict: AgentConflict, _ plan: PlanResult) -> (String, String) {
        let (one, other) = (conflict.agents[0], conflict.agents[1])
        func wave(_ name: String) -> Int {
            let final = plan.agents.first { ($0.mergedFrom ?? [$0.name]).contains(name) }?.name ?? name
            return plan.waves.firstIndex { $0.contains(final) } ?? Int.max
        }
        return wave(other) < wave(one) ? (other, one) : (one, other)
    }

    /// A Mermaid node id: agent names may hold `.` and `-`, which Mermaid ids may not.
    private static func id(_ name: String) -> String {
        "a_" + name.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// Text inside a quoted Mermaid label, with the characters Mermaid reads written as entities.
    private static func mermaidText(_ text: String) -> String {
        var result = ""
        for character in ControlCharacters.escaped(text) {
            switch character {
            case "\"": result += "#quot;"
            case "<": result += "#lt;"
            case ">": result += "#gt;"
            case "#": result += "#35;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func mermaidLabel(_ name: String, _ entries: [String]) -> String {
        (["<b>\(mermaidText(name))</b>"] + entries.map(mermaidText)).joined(separator: "<br/>")
    }

    /// A Graphviz HTML-like label: the name in bold, then one entry per line.
    private static func htmlLabel(_ name: String, _ entries: [String]) -> String {
        (["<b>\(html(name))</b>"] + entries.map { "<font point-size=\"9\">\(html($0))</font>" }).joined(separator: "<br align=\"left\"/>")
            + "<br align=\"left\"/>"
    }

    private static func html(_ text: String) -> String {
        ControlCharacters.escaped(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func quoted(_ text: String) -> String {
        "\"" + ControlCharacters.escaped(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
