// swift-tools-version: 6.1
import PackageDescription

/// libFuzzer harnesses for ScopeLockCore. Build them with the fuzzer and address sanitizers:
///
///     swift build -c release --scratch-path .build-fuzz \
///         -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
///
/// or simply run `scripts/fuzz` from the repository root (see README.md).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "scopelock-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "scopelock", path: ".."),
    ],
    targets: [
        // libFuzzer's driver behind the `<Target>_main` entry point SwiftPM links executables with.
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "FuzzEntryParsing",
            dependencies: ["FuzzDriver", .product(name: "ScopeLockCore", package: "scopelock")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzOverlap",
            dependencies: ["FuzzDriver", .product(name: "ScopeLockCore", package: "scopelock")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzLockRecord",
            dependencies: ["FuzzDriver", .product(name: "ScopeLockCore", package: "scopelock")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzDuration",
            dependencies: ["FuzzDriver", .product(name: "ScopeLockCore", package: "scopelock")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzManifest",
            dependencies: ["FuzzDriver", .product(name: "ScopeLockCore", package: "scopelock")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
