import Foundation
import ScopeLockProtocol

/// `events`: what happened to the locks, from `locks/events.jsonl` (file store only). Reads only.
public struct EventsRequest: Codable, Sendable {
    /// Only this agent's events (as actor, or as the holder in a refusal's conflict).
    public var agent: String?
    /// Only events at or after this time: RFC 3339, or a duration back from now (`15m`, `2h`).
    public var since: String?

    public init(agent: String? = nil, since: String? = nil) {
        self.agent = agent
        self.since = since
    }
}

public struct EventsResult: Encodable, Sendable {
    /// The log read.
    public let file: String
    /// The matching events, oldest first.
    public let events: [LockEvent]
    /// Lines of the log that are not JSON events (skipped).
    public let skipped: Int

    public init(file: String, events: [LockEvent], skipped: Int) {
        self.file = file
        self.events = events
        self.skipped = skipped
    }
}

/// Which events a request keeps.
public struct EventFilter: Sendable {
    public let agent: String?
    public let since: Date?

    public func keeps(_ event: LockEvent) -> Bool {
        if let agent, event.agent != agent, event.conflict?.holder != agent { return false }
        if let since, let time = Timestamp.parse(event.time), time < since { return false }
        return true
    }
}

extension Workspace {
    public func events(_ request: EventsRequest) -> Outcome<EventsResult> {
        Outcome.catching { () throws(ErrorInfo) in
            let (log, filter) = try eventSource(request)
            let chunk = try log.read()
            var warnings: [ResultWarning] = []
            if chunk.skipped > 0 {
                warnings.append(ResultWarning(code: "skipped_lines", message: "skipped \(chunk.skipped) line(s) of \(log.path) that are not JSON events"))
            }
            return Outcome(EventsResult(file: log.path, events: chunk.events.filter(filter.keeps), skipped: chunk.skipped), warnings: warnings)
        }
    }

    /// The log a request reads and the filter it applies; `invalid_input` for a bad agent or time, or a store without a log.
    public func eventSource(_ request: EventsRequest) throws(ErrorInfo) -> (EventLog, EventFilter) {
        if let agent = request.agent { try AgentName.validate(agent) }
        var since: Date?
        if let text = request.since {
            if let time = Timestamp.parse(text) {
                since = time
            } else if let seconds = DurationText.seconds(text) {
                since = now().addingTimeInterval(-Double(seconds))
            } else {
                throw ErrorInfo(.invalidInput, "invalid --since \(text.debugDescription): use an RFC 3339 time (2026-05-01T12:00:00Z) or a duration back from now (15m, 2h)")
            }
        }
        guard let files = store as? FileLockStore else {
            throw ErrorInfo(.invalidInput, "\(store.location) keeps no event log: events are logged by the file store (locks/events.jsonl) only")
        }
        return (EventLog(files), EventFilter(agent: request.agent, since: since))
    }
}
