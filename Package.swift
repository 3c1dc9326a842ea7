// swift-tools-version:6.1
import PackageDescription

/// Release builds of the engine get cross-module optimization so the generic kernels
/// in Columnar specialize where Engine and the CLI call them.
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

// The modules, in the order data flows (Sources/README.md has a paragraph on each):
//
//   Columnar  <-  Engine  <-  Pipeline  <-  Web  <-  moviecol (the CLI)
//       ^
//   MovieLens (the six files, ingest of a MovieLens folder, the data generator)
//
// Tests/ModuleGraphTests checks the imports of every module and test target against it.
let package = Package(
    name: "moviecol",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "moviecol", targets: ["moviecol"]),
        .library(name: "Columnar", targets: ["Columnar"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // SHA-256, HMAC, PBKDF2 (sign-in) and MD5 (SQL's MD5()); later SigV4 and SCRAM.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // TLS for `serve` (and the PostgreSQL port to come): BoringSSL behind NIO's channel
        // handlers, rather than a hand-made binding to the system OpenSSL.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CSupport"),
        .target(name: "Columnar", dependencies: ["CZlib", "CSupport"], swiftSettings: optimized),
        .target(name: "MovieLens", dependencies: ["Columnar"], swiftSettings: optimized),
        .target(
            name: "Engine",
            dependencies: ["Columnar", "CSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: optimized
        ),
        .target(
            name: "Pipeline",
            dependencies: ["Engine", .product(name: "Yams", package: "Yams")],
            exclude: ["Embedded"],  // compiled in by the EmbedFiles plugin
            swiftSettings: optimized,
            plugins: ["EmbedFiles"]
        ),
        .target(
            name: "Web",
            dependencies: [
                "Pipeline",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Embedded"],  // compiled in by the EmbedFiles plugin
            swiftSettings: optimized,
            plugins: ["EmbedFiles"]
        ),
        .executableTarget(
            name: "moviecol",
            dependencies: [
                "Web",
                "MovieLens",
                "CSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: optimized
        ),
        // Fuzz targets for every input moviecol takes from outside, and their driver: libFuzzer
        // when built with -sanitize=fuzzer (.ci/fuzz), a replayer otherwise.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "Web", "Pipeline", "Engine", "Columnar",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(name: "MoviecolFuzz", dependencies: ["FuzzTargets"]),

        // Files compiled into the binary: a build-tool plugin and the tool it runs.
        .executableTarget(name: "EmbedTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedTool"]),

        .target(name: "TestSupport", dependencies: ["Columnar", "MovieLens"], path: "Tests/TestSupport"),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar", "TestSupport"]),
        .testTarget(name: "MovieLensTests", dependencies: ["MovieLens", "Columnar", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Columnar", "MovieLens", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Engine", "Columnar", "TestSupport"]),
        .testTarget(name: "WebTests", dependencies: ["Web", "Pipeline", "Engine", "Columnar", "TestSupport"]),
        .testTarget(name: "MoviecolTests", dependencies: ["Columnar", "TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets", "TestSupport"]),
        .testTarget(name: "ModuleGraphTests"),
    ]
)
