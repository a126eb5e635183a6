/// Whether a lock admits other holders: two `shared` locks never conflict.
public enum LockMode: String, Codable, Sendable {
    case exclusive
    case shared
}
