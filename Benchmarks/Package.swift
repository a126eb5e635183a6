// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks of the scopelock engine, kept in their own package so the main build stays light.
/// Run with `swift package benchmark` from this folder (see README.md).
let package = Package(
    name: "scopelock-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Only the MallocInterposer trait: the default RuntimeInterposer trait would pull in a package
        // that is not needed to measure time and allocations.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(name: "scopelock", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ScopeLockBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "ScopeLockCore", package: "scopelock"),
            ],
            path: "Benchmarks/ScopeLockBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "package-benchmark"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
