import Foundation
import Testing

/// Many real `scopelock` processes race on overlapping scopes; from the intervals each surely held its
/// lock, no two overlapping exclusive grants may coexist.
@Suite(.serialized) struct RaceTests {
    @Test func noOverlappingGrantsCoexist() async throws {
        let outcome = try await RaceWorkload.run(iterations: RaceWorkload.iterations)
        #expect(outcome.errors.isEmpty, "\(outcome.errors)")
        #expect(outcome.grants.count >= 400, "only \(outcome.grants.count) grants")
        #expect(outcome.overlappingPairs >= 20, "only \(outcome.overlappingPairs) overlapping pairs")
        #expect(outcome.doubleGrants == 0, "\(outcome.doubleGrants) overlapping grants coexisted among \(outcome.grants.count)")
        print("race: \(outcome.grants.count) grants by \(RaceWorkload.scopes.count) processes, \(outcome.doubleGrants) double grants")

        let status = try await outcome.cli.run(["status", "--json"])
        #expect(status.status == 0)
        #expect((status.json["locks"] as? [[String: Any]])?.isEmpty == true)
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
