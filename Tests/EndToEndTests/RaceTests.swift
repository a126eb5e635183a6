import Foundation
import Testing

/// Many real `scopelock` processes race on overlapping scopes: waiting acquires, `run`, `--add`, partial
/// releases, plain and impatient acquires. From the intervals each surely held its entries, no two overlapping
/// exclusive grants may coexist; from `events.jsonl`, no grant overlapped another lock and no waiter was
/// overtaken by a later overlapping one.
@Suite(.serialized) struct RaceTests {
    @Test func noOverlappingGrantsCoexistAndNoWaiterIsOvertaken() async throws {
        let outcome = try await RaceWorkload.run(iterations: RaceWorkload.sessionIterations, sessions: true)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.grants.count >= 180, "only \(outcome.grants.count) intervals held")
        #expect(outcome.overlappingPairs >= 20, "only \(outcome.overlappingPairs) overlapping pairs")
        #expect(outcome.doubleGrants == 0, "\(outcome.doubleGrants) overlapping grants coexisted among \(outcome.grants.count)")
        let audit = try #require(outcome.audit)
        #expect(audit.doubleGrants.isEmpty, "\(audit.doubleGrants.prefix(5))")
        #expect(audit.overtakings.isEmpty, "\(audit.overtakings.prefix(5))")
        #expect(audit.tokensOutOfOrder.isEmpty, "\(audit.tokensOutOfOrder.prefix(5))")
        #expect(outcome.waitersLeft.isEmpty, "waiters never left the queue: \(outcome.waitersLeft)")
        // Not vacuous: the run queued overlapping waiters and served them in order, let disjoint ones pass,
        // refused newcomers for waiters, saw waiters give up, and grew and shrank locks.
        #expect(audit.handoffs > 0 && audit.grantedInOrder > 0 && audit.disjointPasses > 0 && audit.giveUps > 0, "\(audit)")
        #expect(audit.refusedForWaiters > 0, "\(audit)")
        #expect(audit.additions > 0 && audit.partialReleases > 0 && outcome.runs > 0, "\(audit), \(outcome.runs) runs")
        print(
            "race: \(RaceWorkload.scopes.count) processes, \(outcome.grants.count) intervals held (\(outcome.runs) under run), "
                + "\(outcome.doubleGrants) double grants; events: \(audit)"
        )

        let status = try await outcome.cli.run(["status", "--json"])
        #expect(status.status == 0)
        #expect((status.json["locks"] as? [[String: Any]])?.isEmpty == true)
        #expect((status.json["waiting"] as? [[String: Any]])?.isEmpty == true)
    }

    /// Readers take no lock: a record renamed over or removed while one reads it is a record that
    /// changed, never an unreadable one. Writers renew and release in a loop while readers check.
    @Test func readersNeverSeeAReplacedRecordAsInvalid() async throws {
        let cli = try CLI()
        let script = """
        end=$((SECONDS + 6))
        for w in 1 2 3 4; do
          ( while [ $SECONDS -lt $end ]; do
              "$SCOPELOCK" acquire writer$w src/w$w/ --ttl 10m >/dev/null 2>>errors.txt
              for i in 1 2 3; do "$SCOPELOCK" renew writer$w >/dev/null 2>>errors.txt; done
              "$SCOPELOCK" release writer$w >/dev/null 2>>errors.txt
            done ) &
        done
        for r in 1 2 3 4; do
          ( while [ $SECONDS -lt $end ]; do
              "$SCOPELOCK" check reader$r docs/ >/dev/null 2>>errors.txt || echo "check exit $?" >> errors.txt
              "$SCOPELOCK" status --json > status-$r.json 2>>errors.txt || echo "status exit $?" >> errors.txt
              grep -q '"invalid"' status-$r.json && echo "status showed an invalid record" >> errors.txt
            done ) &
        done
        wait
        """
        let result = try await cli.bash(script)
        #expect(result.status == 0)
        let errors = String(decoding: cli.read("errors.txt") ?? Data(), as: UTF8.self)
        #expect(errors.isEmpty, "\(errors.prefix(2000))")
    }
}
