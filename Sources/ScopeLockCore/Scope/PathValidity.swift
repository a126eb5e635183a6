/// The valid relative paths: non-empty segments separated by single `/`, never `.` or `..`,
/// no leading or trailing `/`, no NUL.
///
/// As an automaton it has four states; the overlap search runs it alongside both entries.
enum PathValidity {
    /// Where a path being read stands.
    enum State: Int, CaseIterable {
        /// At the start of a segment (start of path, or just after `/`).
        case segmentStart = 0
        /// The segment so far is `.`.
        case oneDot = 1
        /// The segment so far is `..`.
        case twoDots = 2
        /// The segment so far is a valid name; a path may end here or continue with `/`.
        case ordinary = 3

        /// The state after reading `.`.
        var afterDot: State {
            switch self {
            case .segmentStart: .oneDot
            case .oneDot: .twoDots
            case .twoDots, .ordinary: .ordinary
            }
        }
    }

    /// True when `path` is a valid relative path.
    static func isValid(_ path: String) -> Bool {
        var state = State.segmentStart
        for scalar in path.unicodeScalars {
            switch scalar {
            case "/":
                guard state == .ordinary else { return false }
                state = .segmentStart
            case ".":
                state = state.afterDot
            case "\0":
                return false
            default:
                state = .ordinary
            }
        }
        return state == .ordinary
    }
}
