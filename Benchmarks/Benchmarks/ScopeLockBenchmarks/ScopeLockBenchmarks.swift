import Benchmark
import Foundation
import ScopeLockCore

/// Every benchmark of the engine. Names start with the area measured: `overlap`, `index`, `check`,
/// `plan`, `record`. Sizes are in the name, so results at 100, 1,000 and 10,000 locks sit side by side.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )
    overlapBenchmarks()
    excludingOverlapBenchmarks()
    indexBenchmarks()
    checkBenchmarks()
    planBenchmarks()
    recordBenchmarks()
}

// MARK: - Overlap of one pair of entries

/// One pair, compiled beforehand: the cost of `CompiledEntry.witness` alone.
private func overlapPair(_ name: String, _ left: String, _ right: String, scaling: BenchmarkScalingFactor = .kilo) {
    let pair = Box<(CompiledEntry, CompiledEntry)>()
    Benchmark("overlap \(name)", configuration: .init(scalingFactor: scaling)) { benchmark in
        let (a, b) = pair.value
        for _ in benchmark.scaledIterations { blackHole(CompiledEntry.witness(a, b)) }
    } setup: {
        pair.set((Fixtures.compile([left])[0], Fixtures.compile([right])[0]))
    }
}

private func overlapBenchmarks() {
    // Typical pairs.
    overlapPair("literal vs literal, same", "src/app/main.go", "src/app/main.go")
    overlapPair("literal vs literal, different", "src/app/main.go", "src/app/util.go")
    overlapPair("directory vs file inside", "src/app/", "src/app/handlers/user.go")
    overlapPair("directory vs directory, disjoint", "src/app/", "src/lib/")
    overlapPair("glob vs glob src/**/*.go vs src/a/*_test.go", "src/**/*.go", "src/a/*_test.go")
    overlapPair("glob vs glob, disjoint *.go vs *.py", "src/**/*.go", "src/**/*.py")
    overlapPair("literal directory vs glob", "src/app/", "src/**/*_test.go")

    // The same glob pair with both compilations inside the measurement: what checking a stored record costs
    // when its entries are compiled for every request (as `check` and `acquire` do today).
    let parsed = Box<(ScopeEntry, ScopeEntry)>()
    Benchmark("overlap glob vs glob, compiling both", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let (a, b) = parsed.value
        for _ in benchmark.scaledIterations { blackHole(CompiledEntry.witness(CompiledEntry(a), CompiledEntry(b))) }
    } setup: {
        parsed.set((Fixtures.parse(["src/**/*.go"])[0], Fixtures.parse(["src/a/*_test.go"])[0]))
    }

    // Adversarial pairs: long star chains that do not overlap (the search visits the whole product),
    // deeply nested and wide braces.
    let stars = String(repeating: "*a", count: 32)
    overlapPair("adversarial (*a)x32 vs (*a)x31*b, disjoint", stars, String(repeating: "*a", count: 31) + "*b", scaling: .one)
    overlapPair("adversarial (*a)x32 vs (*a)x32*, overlapping", stars, stars + "*", scaling: .one)
    let deep = (0..<32).map { "{x\($0)," }.joined() + "y" + String(repeating: "}", count: 32)
    overlapPair("adversarial braces nested 32 deep", deep + "/**/*.go", "{x31,y}/a/*_test.go", scaling: .one)
    let wide = "{" + (0..<200).map { "m\($0)" }.joined(separator: ",") + "}"
    overlapPair("adversarial braces 200 wide x 200 wide", wide + "/*/" + wide + "/*.go", "m199/*/{m0,m199}/x.{go,py}", scaling: .one)
    overlapPair(
        "adversarial nested braces with slashes",
        "{a,{b/c,{d/**/e,f/{g,h}/i}}}/**/{j,k/{l,m}}/*.{go,{py,rs}}",
        "{f/h,d/x}/**/k/m/*_test.{rs,ts}",
        scaling: .one
    )
}

// MARK: - Overlap of one pair of entries less their scopes' excludes

/// One pair with each side's excludes, compiled beforehand: the cost of the excluding `CompiledEntry.witness`.
private func excludingPair(
    _ name: String, _ left: String, excluding leftExcludes: [String], _ right: String, excluding rightExcludes: [String],
    scaling: BenchmarkScalingFactor = .kilo
) {
    let pair = Box<(CompiledEntry, ExcludeSet, CompiledEntry, ExcludeSet)>()
    Benchmark("overlap excluding \(name)", configuration: .init(scalingFactor: scaling)) { benchmark in
        let (a, excludesA, b, excludesB) = pair.value
        for _ in benchmark.scaledIterations { blackHole(CompiledEntry.witness(a, excluding: excludesA, b, excluding: excludesB)) }
    } setup: {
        let excludesA = try! ExcludeSet(Fixtures.parse(leftExcludes))
        let excludesB = try! ExcludeSet(Fixtures.parse(rightExcludes))
        pair.set((Fixtures.compile([left])[0], excludesA, Fixtures.compile([right])[0], excludesB))
    }
}

private func excludingOverlapBenchmarks() {
    // The seed's developer and tester, and the same pair with no excludes as the baseline.
    let vendor = "backend/pkg/integrations/qualys"
    overlapPair("seed developer vs tester, no excludes (baseline)", "\(vendor)/", "backend/pkg/integrations/*/*_test.go")
    excludingPair("seed developer less its tests vs tester", "\(vendor)/", excluding: ["\(vendor)/*_test.go"],
                  "backend/pkg/integrations/*/*_test.go", excluding: [])
    excludingPair("seed developer less its tests vs a client file", "\(vendor)/", excluding: ["\(vendor)/*_test.go"],
                  "\(vendor)/client.go", excluding: [])

    // At the limits: 256-state exclude automata on both sides (`*a` then 7 `?`, the longest such run under
    // the 1,024-state bound) proving a pair disjoint over the whole product, and entries whose automata fan out
    // (`{,[ab]}` x 30) against them, which stops at the step bound.
    let run = "???????"
    excludingPair("at the limits: x/** less x/**/*a\(run) vs x/**/*a\(run), disjoint",
                  "x/**", excluding: ["x/**/*a\(run)"], "x/**/*a\(run)", excluding: ["x/**/*b\(run)"], scaling: .one)
    let fanLeft = "x/**/*" + String(repeating: "{,[ab]}", count: 30) + "z"
    let fanRight = "x/**/" + String(repeating: "{,[bc]}", count: 30) + "*a\(run)"
    overlapPair("at the limits: {,[ab]}x30 vs {,[bc]}x30, no excludes (baseline)", fanLeft, fanRight, scaling: .one)
    excludingPair("at the limits: {,[ab]}x30 vs {,[bc]}x30 less 256-state excludes, step bound",
                  fanLeft, excluding: ["x/**/*a\(run)"], fanRight, excluding: ["x/**/*b\(run)"], scaling: .one)

    // Determinising excludes at the state bound: what compiling such a scope costs once.
    let excludes = Fixtures.parse(["x/**/*a??????", "x/**/*_test.go"])
    Benchmark("exclude set compile, 2 excludes near the state bound", configuration: .init(scalingFactor: .one)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? ExcludeSet(excludes)) }
    }
}

// MARK: - ScopeIndex at 100, 1,000 and 10,000 held locks × 20 entries

private let lockCounts = [100, 1_000, 10_000]

private func indexBenchmarks() {
    for locks in lockCounts {
        let scopes = Box<[[ScopeEntry]]>()
        Benchmark("index build, \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            blackHole(Fixtures.heldIndex(scopes.value))
        } setup: {
            scopes.set(Fixtures.heldScopes(agents: locks))
        }

        let state = Box<(ScopeIndex<Int>, [CompiledEntry])>()
        Benchmark("index lookup of a 20-entry scope, \(locks) locks x 20 entries") { _ in
            let (index, request) = state.value
            for entry in request { blackHole(index.overlaps(with: entry)) }
        } setup: {
            state.set((Fixtures.heldIndex(Fixtures.heldScopes(agents: locks)), Fixtures.compile(Fixtures.request(near: locks / 2))))
        }

        // A request whose glob has no literal prefix meets every held entry: the index cannot narrow it.
        let wide = Box<(ScopeIndex<Int>, CompiledEntry)>()
        Benchmark("index lookup of **/*.md (every entry a candidate), \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let (index, entry) = wide.value
            blackHole(index.overlaps(with: entry))
        } setup: {
            wide.set((Fixtures.heldIndex(Fixtures.heldScopes(agents: locks)), Fixtures.compile(["**/*.md"])[0]))
        }
    }
}

// MARK: - Conflict check of a 20-entry request against held locks

private func checkBenchmarks() {
    for locks in lockCounts {
        // Every held entry compiled and compared with every requested entry: 20 x 20 witness calls per lock.
        let pairwise = Box<([[ScopeEntry]], [CompiledEntry])>()
        Benchmark("check pairwise (compile every held entry, 20 witnesses each), \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let (held, request) = pairwise.value
            var conflicts = 0
            for scope in held {
                for entry in scope {
                    let compiled = CompiledEntry(entry)
                    for ours in request where CompiledEntry.witness(compiled, ours) != nil { conflicts += 1 }
                }
            }
            blackHole(conflicts)
        } setup: {
            pairwise.set((Fixtures.heldScopes(agents: locks), Fixtures.compile(Fixtures.request(near: locks / 2))))
        }

        // Every held entry compiled and looked up in an index of the 20 requested entries: a held entry under
        // another folder meets no candidate.
        let requestIndexed = Box<([[ScopeEntry]], ScopeIndex<Int>)>()
        Benchmark("check request-indexed (compile every held entry, look it up), \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let (held, request) = requestIndexed.value
            var conflicts = 0
            for scope in held {
                for entry in scope { conflicts += request.overlaps(with: CompiledEntry(entry)).count }
            }
            blackHole(conflicts)
        } setup: {
            var index = ScopeIndex<Int>()
            for (position, entry) in Fixtures.compile(Fixtures.request(near: locks / 2)).enumerated() { index.insert(entry, value: position) }
            requestIndexed.set((Fixtures.heldScopes(agents: locks), index))
        }

        // The same decision through an index of the held entries, built for this one request.
        let indexed = Box<([[ScopeEntry]], [CompiledEntry])>()
        Benchmark("check held-indexed (build an index of the held entries, look up the 20), \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let (held, request) = indexed.value
            let index = Fixtures.heldIndex(held)
            for entry in request { blackHole(index.overlaps(with: entry)) }
        } setup: {
            indexed.set((Fixtures.heldScopes(agents: locks), Fixtures.compile(Fixtures.request(near: locks / 2))))
        }

        // The whole public operation: list the locks directory, read and decode every record, decide.
        let workspace = Box<(Workspace, String)>()
        Benchmark("check Workspace.check (files on disk), \(locks) locks x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let outcome = workspace.value.0.check(CheckRequest(agent: "requester", entries: Fixtures.request(near: locks / 2)))
            precondition(outcome.ok, "the benchmark request must not conflict")
            blackHole(outcome)
        } setup: {
            let output = Fixtures.outputDirectory(agents: locks)
            workspace.set((Workspace(outputDirectory: output, root: output, environment: [:]), output))
        } teardown: {
            try? FileManager.default.removeItem(atPath: workspace.value.1)
        }
    }
}

// MARK: - Plan-like conflict detection of a manifest

/// The conflicting pairs among `scopes`, found as `plan` finds them: each agent's entries parsed and compiled,
/// looked up in an index of the agents before it, then inserted.
private func conflictingPairs(_ scopes: [[String]]) -> Int {
    var index = ScopeIndex<Int>()
    var pairs: [Int: [Int: [(String, String, String)]]] = [:]
    for (position, texts) in scopes.enumerated() {
        let compiled = Fixtures.compile(texts)
        for ours in compiled {
            for hit in index.overlaps(with: ours) where hit.value != position {
                pairs[hit.value, default: [:]][position, default: []].append((hit.entry.entry.text, ours.entry.text, hit.witness))
            }
        }
        for ours in compiled { index.insert(ours, value: position) }
    }
    return pairs.values.reduce(0) { $0 + $1.count }
}

private func planBenchmarks() {
    for agents in [10, 100, 1_000] {
        let scopes = Box<[[String]]>()
        Benchmark("plan conflict detection, \(agents) agents x 20 entries", configuration: .init(maxDuration: .seconds(3))) { _ in
            let found = conflictingPairs(scopes.value)
            precondition(found == (agents - 1) / 10, "expected \((agents - 1) / 10) conflicting pairs, found \(found)")
        } setup: {
            scopes.set((0..<agents).map(Fixtures.manifestScope(agent:)))
        }
    }
}

// MARK: - Lock record encoding and decoding

private func recordBenchmarks() {
    let record = Box<LockRecord>()
    Benchmark("record encode fileData(), 20 entries", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let value = record.value
        for _ in benchmark.scaledIterations { blackHole(value.fileData()) }
    } setup: {
        record.set(Fixtures.record(agent: 7))
    }

    let bytes = Box<Data>()
    Benchmark("record decode LockRecord(data:), 20 entries", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let data = bytes.value
        for _ in benchmark.scaledIterations { blackHole(try? LockRecord(data: data)) }
    } setup: {
        bytes.set(Fixtures.record(agent: 7).fileData())
    }

    // What reading one lock file costs besides I/O: decode, check the name, parse every entry.
    let file = Box<[UInt8]>()
    Benchmark("record decode + parse entries (StoredRecord), 20 entries", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let data = file.value
        for _ in benchmark.scaledIterations { blackHole(StoredRecord(agent: "agent7", path: "locks/agent7.lock", data: data)) }
    } setup: {
        file.set(Array(Fixtures.record(agent: 7).fileData()))
    }
}
