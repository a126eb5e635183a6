/// Finds a `depends_on` cycle among agents, iteratively (deep chains cannot overflow the stack).
enum DependencyCycle {
    /// One cycle as agent names, first repeated last (`a -> b -> a`), or nil.
    static func find(in agents: [ManifestAgent]) -> [String]? {
        let edges = Dictionary(agents.map { ($0.name, $0.dependsOn) }, uniquingKeysWith: { first, _ in first })
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        for start in agents.map(\.name) where marks[start] == nil {
            var stack: [(name: String, next: Int)] = [(start, 0)]
            marks[start] = .visiting
            while let top = stack.last {
                let targets = edges[top.name] ?? []
                if top.next < targets.count {
                    stack[stack.count - 1].next += 1
                    let target = targets[top.next]
                    switch marks[target] {
                    case .visiting?:
                        let names = stack.map(\.name)
                        let from = names.firstIndex(of: target)!
                        return Array(names[from...]) + [target]
                    case .done?: continue
                    case nil:
                        marks[target] = .visiting
                        stack.append((target, 0))
                    }
                } else {
                    marks[top.name] = .done
                    stack.removeLast()
                }
            }
        }
        return nil
    }
}
