import ScopeLockProtocol

extension Workspace {
    /// Normalises a request's excludes and checks them against its entries: `invalid_input` naming the
    /// exclude (outside the root, bad pattern, too complex) or the entry it would leave empty.
    func normalizeExcludes(
        _ raw: [String]?, of entries: [ScopeEntry]
    ) throws(ErrorInfo) -> (excludes: [ScopeEntry], compiled: ExcludeSet, warnings: [ResultWarning]) {
        guard let raw, !raw.isEmpty else { return ([], .none, []) }
        var excludes: [ScopeEntry] = []
        var warnings: [ResultWarning] = []
        for text in raw {
            let normalized: NormalizedEntry
            do { normalized = try normalizer.normalize(text) } catch { throw ErrorInfo(scope: error.asExclude) }
            if normalized.escapedLiteral {
                warnings.append(ResultWarning(
                    code: "escaped_literal",
                    message: "exclude \(text) names an existing file; recorded as the literal \(normalized.entry.text)"
                ))
            }
            if !excludes.contains(normalized.entry) { excludes.append(normalized.entry) }
        }
        do throws(ScopeError) {
            let scope = try ScopeMatcher(entries: entries, excludes: excludes)
            return (excludes, scope.excludes, warnings)
        } catch {
            throw ErrorInfo(scope: error)
        }
    }
}

extension LockRecord {
    /// The record with `excludes` as its excludes (none when empty).
    func excluding(_ excludes: [ScopeEntry]) -> LockRecord {
        var record = self
        record.excludes = excludes.isEmpty ? nil : excludes.map(\.text)
        return record
    }

    /// The record's scope for people: `qualys/ except qualys/*_test.go`.
    public var scopeDescription: String {
        ScopeMatcher.describe(entries: files + (directories ?? []), excludes: excludes ?? [])
    }
}
