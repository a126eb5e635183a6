import Foundation
import Testing

/// The audit the race storm and the soak rely on finds what it must: hand-made logs with an overtaking or a
/// double grant fail it, and the fair and exclusive stories beside them pass.
@Suite struct EventLogAuditTests {
    /// One line of `events.jsonl`, as the file store writes it.
    static func line(_ event: String, _ agent: String, token: Int? = nil, _ scope: [String]) -> String {
        let entries = scope.map { "\"\($0)\"" }.joined(separator: ",")
        let token = token.map { ",\"token\":\($0)" } ?? ""
        return "{\"agent\":\"\(agent)\",\"event\":\"\(event)\",\"scope\":[\(entries)],\"time\":\"2026-11-30T12:00:00Z\"\(token)}"
    }

    static func audit(_ lines: [String], shared: Set<String> = []) throws -> EventLogAudit {
        try EventLogAudit(log: lines.joined(separator: "\n") + "\n", isShared: { shared.contains($0) })
    }

    /// `holder` holds src/; w1 then w2 wait for overlapping scopes; after the release, `granted` is granted.
    static func queueStory(granted: String, firstGivesUp: Bool = false) -> [String] {
        var lines = [
            line("acquire", "holder", token: 1, ["src/"]),
            line("wait", "w1", ["src/a.go"]),
            line("wait", "w2", ["src/*.go"]),
        ]
        if firstGivesUp { lines.append(line("refuse", "w1", ["src/a.go"])) }
        lines.append(line("release", "holder", token: 1, ["src/"]))
        lines.append(line("acquire", granted, token: 2, granted == "w1" ? ["src/a.go"] : ["src/*.go"]))
        return lines
    }

    @Test func aLaterWaiterGrantedFirstIsAnOvertaking() throws {
        let audit = try Self.audit(Self.queueStory(granted: "w2"))
        #expect(audit.overtakings.count == 1, "\(audit.overtakings)")
        #expect(audit.overtakings.first?.contains("w2 was granted") == true)
        #expect(audit.doubleGrants.isEmpty)
    }

    @Test func theEarlierWaiterGrantedFirstIsInOrder() throws {
        let story = Self.queueStory(granted: "w1") + [
            Self.line("release", "w1", token: 2, ["src/a.go"]),
            Self.line("acquire", "w2", token: 3, ["src/*.go"]),
        ]
        let audit = try Self.audit(story)
        #expect(audit.overtakings.isEmpty, "\(audit.overtakings)")
        #expect(audit.grantedInOrder == 1 && audit.handoffs == 2 && audit.waits == 2, "\(audit)")
        // A pair is counted only once both are granted: w2 still waits here.
        #expect(try Self.audit(Self.queueStory(granted: "w1")).grantedInOrder == 0)
    }

    @Test func aWaiterThatGaveUpIsNoLongerAhead() throws {
        let audit = try Self.audit(Self.queueStory(granted: "w2", firstGivesUp: true))
        #expect(audit.overtakings.isEmpty, "\(audit.overtakings)")
        #expect(audit.giveUps == 1 && audit.handoffs == 1 && audit.grantedInOrder == 0)
    }

    @Test func aPlainAcquireOverlappingAWaiterIsAnOvertaking() throws {
        let lines = [
            Self.line("acquire", "holder", token: 1, ["src/a.go"]),
            Self.line("wait", "w1", ["src/a.go", "docs/"]),
            Self.line("acquire", "newcomer", token: 2, ["docs/guide.md"]),
        ]
        let audit = try Self.audit(lines)
        #expect(audit.overtakings.count == 1, "\(audit.overtakings)")
        #expect(audit.overtakings.first?.contains("without waiting") == true)
        // What the protocol does instead: refuse the newcomer, naming the waiter.
        let refused = #"{"agent":"newcomer","conflict":{"entries":["docs/","docs/guide.md"],"holder":"w1","witness":"docs/guide.md"},"event":"refuse","scope":["docs/guide.md"],"time":"2026-11-30T12:00:00Z"}"#
        let fair = try Self.audit(lines.dropLast() + [refused])
        #expect(fair.overtakings.isEmpty && fair.refusedForWaiters == 1 && fair.giveUps == 0, "\(fair)")
    }

    @Test func disjointWaitersPassEachOtherAndSharedOnesMayOverlap() throws {
        let lines = [
            Self.line("acquire", "holder", token: 1, ["src/", "docs/"]),
            Self.line("wait", "w1", ["src/a.go"]),
            Self.line("wait", "w2", ["docs/guide.md"]),
            Self.line("release", "holder", token: 1, ["src/"]),
            Self.line("acquire", "w2", token: 2, ["docs/guide.md"]),
            Self.line("acquire", "x0", token: 3, ["lib/a.go"]),
            Self.line("wait", "r1", ["lib/"]),
            Self.line("acquire", "r2", token: 4, ["lib/b/"]),
            Self.line("acquire", "r3", token: 5, ["lib/b/x.go"]),
        ]
        let audit = try Self.audit(lines, shared: ["r1", "r2", "r3"])
        #expect(audit.overtakings.isEmpty && audit.doubleGrants.isEmpty, "\(audit.overtakings) \(audit.doubleGrants)")
        #expect(audit.disjointPasses == 1 && audit.partialReleases == 1)
        // The same story with exclusive locks: r2 and r3 overtake r1, and r3 overlaps r2's lock.
        let exclusive = try Self.audit(lines)
        #expect(exclusive.overtakings.count == 2 && exclusive.doubleGrants.count == 1, "\(exclusive)")
    }

    /// `--add` keeps the token: only the added entries are a request, so a waiter behind the entries already
    /// held is no overtaking, and one behind an added entry is.
    @Test func anAdditionIsJudgedByTheEntriesItAdds() throws {
        let story = [
            Self.line("acquire", "dev", token: 1, ["src/"]),
            Self.line("wait", "w1", ["src/a.go"]),
        ]
        let fair = try Self.audit(story + [Self.line("acquire", "dev", token: 1, ["src/", "docs/"])])
        #expect(fair.overtakings.isEmpty && fair.additions == 1 && fair.grants == 1, "\(fair)")
        let unfair = try Self.audit(story + [
            Self.line("wait", "w2", ["docs/"]),
            Self.line("acquire", "dev", token: 1, ["src/", "docs/guide.md"]),
        ])
        #expect(unfair.overtakings.count == 1 && unfair.overtakings[0].contains("w2"), "\(unfair.overtakings)")
    }

    /// A partial release frees what it gives back and nothing else; expiry and clear end locks and waits.
    @Test func releasedEntriesAreFreeAndHeldOnesAreNot() throws {
        let lines = [
            Self.line("acquire", "dev", token: 1, ["src/", "docs/"]),
            Self.line("release", "dev", token: 1, ["src/"]),
            Self.line("acquire", "tester", token: 2, ["docs/guide.md"]),
            Self.line("acquire", "other", token: 3, ["src/a.go"]),
        ]
        let audit = try Self.audit(lines)
        #expect(audit.partialReleases == 1)
        #expect(audit.doubleGrants.count == 1 && audit.doubleGrants[0].contains("other was granted"), "\(audit.doubleGrants)")
        let expired = try Self.audit([
            Self.line("acquire", "dev", token: 1, ["src/"]),
            Self.line("wait", "w1", ["src/"]),
            #"{"event":"clear","time":"2026-11-30T12:00:00Z"}"#,
            Self.line("acquire", "late", token: 2, ["src/"]),
            Self.line("expire", "late", token: 2, ["src/"]),
            Self.line("acquire", "later", token: 3, ["src/"]),
        ])
        #expect(expired.doubleGrants.isEmpty && expired.overtakings.isEmpty, "\(expired)")
    }

    @Test func aGrantWhoseTokenIsNotAboveEveryEarlierOneIsOutOfOrder() throws {
        let story = [
            Self.line("acquire", "dev", token: 4, ["src/"]),
            Self.line("acquire", "dev", token: 4, ["src/", "docs/"]),
            Self.line("acquire", "tester", token: 5, ["lib/"]),
        ]
        #expect(try Self.audit(story).tokensOutOfOrder.isEmpty, "an addition keeps its token")
        let late = try Self.audit(story + [Self.line("acquire", "late", token: 5, ["tools/"])])
        #expect(late.tokensOutOfOrder.count == 1, "\(late.tokensOutOfOrder)")
    }

    @Test func aLineThatIsNotAnEventFailsTheAudit() {
        #expect(throws: (any Error).self) { try EventLogAudit(log: "{\"half\": \n") }
    }
}
