// swift-tools-version: 6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode, strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "scopelock",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scopelock", targets: ["scopelock"]),
        .library(name: "ScopeLockCore", targets: ["ScopeLockCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
    ],
    targets: [
        // MARK: protocol — versioned wire types, Foundation only
        .target(name: "ScopeLockProtocol", swiftSettings: swiftSettings),

        // MARK: core — the engine; knows nothing of the command line
        .target(name: "ScopeLockCore", dependencies: ["ScopeLockProtocol"], swiftSettings: swiftSettings),

        // MARK: commands — thin front ends over the core
        .target(
            name: "ScopeLockCommands",
            dependencies: [
                "ScopeLockCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: entry point
        .executableTarget(name: "scopelock", dependencies: ["ScopeLockCommands"], swiftSettings: swiftSettings),

        // MARK: tests
        .testTarget(name: "ScopeLockCoreTests", dependencies: ["ScopeLockCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ScopeLockCore",
                "scopelock",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
