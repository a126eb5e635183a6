import ScopeLockProtocol

/// `overlap`: do two entries overlap, and on which path.
public struct OverlapRequest: Codable, Sendable {
    public var left: String
    public var right: String

    public init(left: String, right: String) {
        self.left = left
        self.right = right
    }
}

public struct OverlapResult: Encodable, Sendable {
    /// The normalised entries compared.
    public let left: String
    public let right: String
    public let overlap: Bool
    /// A path both cover; absent when they do not overlap.
    public let witness: String?
}

extension Workspace {
    public func overlap(_ request: OverlapRequest) -> Outcome<OverlapResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let (left, leftWarnings) = try normalize([request.left])
            let (right, rightWarnings) = try normalize([request.right])
            let witness = left[0].overlapWitness(with: right[0])
            return Outcome(
                OverlapResult(left: left[0].text, right: right[0].text, overlap: witness != nil, witness: witness),
                warnings: leftWarnings + rightWarnings
            )
        }
    }
}
