/// The strongly connected components of a directed graph (Tarjan's algorithm, iterative so that long chains
/// cannot overflow the stack): the largest sets of nodes that each reach one another.
struct StronglyConnectedComponents: Sendable {
    /// Each component's nodes, in no particular order; every node is in exactly one.
    let components: [[Int]]

    /// The components of the graph on `nodes` whose edges lead from a node to the nodes in `edges[node]`.
    init(nodes: [Int], edges: [Int: [Int]]) {
        var index: [Int: Int] = [:]
        var lowLink: [Int: Int] = [:]
        var onStack = Set<Int>()
        var stack: [Int] = []
        var components: [[Int]] = []
        for start in nodes where index[start] == nil {
            // Each frame: a node and how many of its edges have been followed.
            var frames: [(node: Int, next: Int)] = [(start, 0)]
            index[start] = index.count
            lowLink[start] = index[start]
            stack.append(start)
            onStack.insert(start)
            while let (node, next) = frames.last {
                let targets = edges[node] ?? []
                if next < targets.count {
                    frames[frames.count - 1].next += 1
                    let target = targets[next]
                    if index[target] == nil {
                        index[target] = index.count
                        lowLink[target] = index[target]
                        stack.append(target)
                        onStack.insert(target)
                        frames.append((target, 0))
                    } else if onStack.contains(target) {
                        lowLink[node] = min(lowLink[node]!, index[target]!)
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last?.node { lowLink[parent] = min(lowLink[parent]!, lowLink[node]!) }
                guard lowLink[node] == index[node] else { continue }
                var component: [Int] = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.append(member)
                    if member == node { break }
                }
                components.append(component)
            }
        }
        self.components = components
    }
}
