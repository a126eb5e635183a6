import Foundation
import ScopeLockPluginKit
import ScopeLockProtocol
import ScopeLockStrategies

extension StrategyName {
    /// The strategy of this name.
    var strategy: any Strategy {
        switch self {
        case .sequential: SequentialStrategy()
        case .reassign: ReassignStrategy()
        case .split: SplitStrategy()
        case .merge: MergeStrategy()
        }
    }

    /// Resolves `request` the way a plugin process does: the request and the answer go through JSON.
    func resolve(_ request: ResolveRequest) throws -> ResolveAnswer {
        let requestData = Data(try JSONCoding.line(request).utf8)
        let answer = strategy.resolve(try PluginMain.decode(requestData))
        return try JSONDecoder().decode(ResolveAnswer.self, from: Data(try JSONCoding.line(answer).utf8))
    }
}

extension ResolveAnswer {
    /// The final agent named `name`.
    func agent(_ name: String) -> ResolvedAgent? { agents?.first { $0.name == name } }

    /// The index of the wave holding `name`.
    func wave(of name: String) -> Int? { waves?.firstIndex { $0.contains(name) } }

    /// The actions of one kind.
    func actions(_ kind: PlanAction.Kind) -> [PlanAction] { (actions ?? []).filter { $0.kind == kind } }
}
