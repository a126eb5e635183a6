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
        .executable(name: "scopelock-mcp", targets: ["scopelock-mcp"]),
        .library(name: "ScopeLockCore", targets: ["ScopeLockCore"]),
        .library(name: "ScopeLockPluginKit", targets: ["ScopeLockPluginKit"]),
        .executable(name: "scopelock-strategy-sequential", targets: ["scopelock-strategy-sequential"]),
        .executable(name: "scopelock-strategy-reassign", targets: ["scopelock-strategy-reassign"]),
        .executable(name: "scopelock-strategy-split", targets: ["scopelock-strategy-split"]),
        .executable(name: "scopelock-strategy-merge", targets: ["scopelock-strategy-merge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // MARK: protocol — versioned wire types, Foundation only
        .target(name: "ScopeLockProtocol", swiftSettings: swiftSettings),

        // MARK: core — the engine; knows nothing of the command line
        .target(
            name: "ScopeLockCore",
            dependencies: [
                "ScopeLockProtocol",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: agent tools — hooks and installers for the tools agents work in
        .target(name: "ScopeLockIntegrations", dependencies: ["ScopeLockCore"], swiftSettings: swiftSettings),

        // MARK: commands — thin front ends over the core
        .target(
            name: "ScopeLockCommands",
            dependencies: [
                "ScopeLockCore",
                "ScopeLockIntegrations",
                "ScopeLockDashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: dashboard — a small HTTP server of its own on 127.0.0.1 and the page, compiled in
        .target(
            name: "ScopeLockDashboard",
            dependencies: ["ScopeLockCore"],
            resources: [.embedInCode("Page/index.html"), .embedInCode("Page/dashboard.css"), .embedInCode("Page/dashboard.js")],
            swiftSettings: swiftSettings
        ),

        // MARK: MCP server — its own executable, so that no other command loads the MCP SDK's libraries
        .target(
            name: "ScopeLockMCP",
            dependencies: [
                "ScopeLockCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: entry points
        // One multi-call executable: `scopelock`, and each built-in strategy under its own name (argv[0]).
        .target(
            name: "ScopeLockLauncher",
            dependencies: ["ScopeLockCommands", "ScopeLockStrategies", "ScopeLockPluginKit"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "scopelock", dependencies: ["ScopeLockLauncher"], swiftSettings: swiftSettings),
        .executableTarget(name: "scopelock-mcp", dependencies: ["ScopeLockMCP"], swiftSettings: swiftSettings),

        // MARK: strategy plugins — runtime executables speaking scopelock.strategy/1 (not SwiftPM plugins);
        // each is the `scopelock` multi-call executable built under the strategy's name, as `scripts/install` links it
        .target(name: "ScopeLockPluginKit", dependencies: ["ScopeLockProtocol"], swiftSettings: swiftSettings),
        .target(name: "ScopeLockStrategies", dependencies: ["ScopeLockPluginKit", "ScopeLockCore"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "scopelock-strategy-sequential", dependencies: ["ScopeLockLauncher"],
            path: "Plugins/scopelock-strategy-sequential", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scopelock-strategy-reassign", dependencies: ["ScopeLockLauncher"],
            path: "Plugins/scopelock-strategy-reassign", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scopelock-strategy-split", dependencies: ["ScopeLockLauncher"],
            path: "Plugins/scopelock-strategy-split", swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scopelock-strategy-merge", dependencies: ["ScopeLockLauncher"],
            path: "Plugins/scopelock-strategy-merge", swiftSettings: swiftSettings
        ),

        // MARK: tests
        .testTarget(
            name: "ScopeLockCoreTests", dependencies: ["ScopeLockCore"], exclude: ["Fixtures/overlap.json"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StrategyTests", dependencies: ["ScopeLockStrategies"], swiftSettings: swiftSettings),
        .testTarget(name: "CommandLineTests", dependencies: ["ScopeLockCommands", "ScopeLockLauncher"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ScopeLockCore",
                "scopelock",
                "scopelock-mcp",
                "scopelock-strategy-sequential",
                "scopelock-strategy-reassign",
                "scopelock-strategy-split",
                "scopelock-strategy-merge",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            exclude: ["Support/validate_schema.py", "Support/mcp_client.py", "Support/browser.py", "Fixtures", "Golden"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
