import ScopeLockProtocol

/// `overlap`: do two entries overlap, and on which path.
public struct OverlapRequest: Codable, Sendable {
    public var left: String
    public var right: String
    /// Excludes of the left entry's scope.
    public var excludesLeft: [String]?
    /// Excludes of the right entry's scope.
    public var excludesRight: [String]?

    enum CodingKeys: String, CodingKey {
        case left, right
        case excludesLeft = "excludes_left"
        case excludesRight = "excludes_right"
    }

    public init(left: String, right: String, excludesLeft: [String]? = nil, excludesRight: [String]? = nil) {
        self.left = left
        self.right = right
        self.excludesLeft = excludesLeft
        self.excludesRight = excludesRight
    }
}

public struct OverlapResult: Encodable, Sendable {
    /// The normalised entries compared.
    public let left: String
    public let right: String
    public let overlap: Bool
    /// A path both cover; absent when they do not overlap.
    public let witness: String?
    /// The normalised excludes of each side; absent when none.
    public let excludesLeft: [String]?
    public let excludesRight: [String]?

    enum CodingKeys: String, CodingKey {
        case left, right, overlap, witness
        case excludesLeft = "excludes_left"
        case excludesRight = "excludes_right"
    }
}

extension Workspace {
    public func overlap(_ request: OverlapRequest) -> Outcome<OverlapResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let (left, leftWarnings) = try normalize([request.left])
            let (right, rightWarnings) = try normalize([request.right])
            let (_, excludesLeft, leftExcludeWarnings) = try normalizeExcludes(request.excludesLeft, of: left)
            let (_, excludesRight, rightExcludeWarnings) = try normalizeExcludes(request.excludesRight, of: right)
            let witness = CompiledEntry.witness(CompiledEntry(left[0]), excluding: excludesLeft, CompiledEntry(right[0]), excluding: excludesRight)
            return Outcome(
                OverlapResult(left: left[0].text, right: right[0].text, overlap: witness != nil, witness: witness,
                              excludesLeft: excludesLeft.isEmpty ? nil : excludesLeft.texts,
                              excludesRight: excludesRight.isEmpty ? nil : excludesRight.texts),
                warnings: leftWarnings + rightWarnings + leftExcludeWarnings + rightExcludeWarnings
            )
        }
    }
}
