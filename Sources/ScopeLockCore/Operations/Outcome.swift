import ScopeLockProtocol

/// What every operation returns: its value, or the error that refused it; warnings either way.
/// Encodes as `{"ok": true, ...value's fields}` or `{"ok": false, "error": {...}}`, plus `warnings` when any.
public struct Outcome<Value: Encodable & Sendable>: Encodable, Sendable {
    public var value: Value?
    public var error: ErrorInfo?
    public var warnings: [ResultWarning]

    public init(_ value: Value, warnings: [ResultWarning] = []) {
        self.value = value
        self.error = nil
        self.warnings = warnings
    }

    public init(error: ErrorInfo, warnings: [ResultWarning] = []) {
        self.value = nil
        self.error = error
        self.warnings = warnings
    }

    /// Runs `work`, turning a thrown `ErrorInfo` into a failed outcome.
    public static func catching(_ work: () throws(ErrorInfo) -> Outcome) -> Outcome {
        do { return try work() } catch { return Outcome(error: error) }
    }

    public var ok: Bool { error == nil }

    /// 0 when done, else the error code's exit code (section 4).
    public var exitCode: Int32 { error?.code.exitCode ?? 0 }

    private enum Keys: String, CodingKey { case ok, error, warnings }

    public func encode(to encoder: any Encoder) throws {
        if let value { try value.encode(to: encoder) }
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(error, forKey: .error)
        if !warnings.isEmpty { try container.encode(warnings, forKey: .warnings) }
    }
}

/// The value of an outcome that carries nothing but `ok` (and warnings).
public struct Empty: Codable, Sendable {
    public init() {}
}
