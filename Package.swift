// swift-tools-version:6.0
import PackageDescription

/// Release builds of the engine get cross-module optimization so the generic kernels
/// in Columnar specialize where Engine and the CLI call them.
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

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
        .target(name: "Engine", dependencies: ["Columnar", "CSupport"], swiftSettings: optimized),
        .target(
            name: "Pipeline",
            dependencies: ["Engine", .product(name: "Yams", package: "Yams")],
            exclude: ["DefaultProject"],  // embedded by scripts/embed-default-project.py
            swiftSettings: optimized
        ),
        .executableTarget(
            name: "moviecol",
            dependencies: [
                "Pipeline",
                "CSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: optimized
        ),
        .target(name: "TestSupport", dependencies: ["Columnar", "Pipeline"], path: "Tests/TestSupport"),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Columnar", "Engine", "Pipeline", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Columnar", "Engine", "Pipeline", "TestSupport"]),
        .testTarget(name: "MoviecolTests", dependencies: ["Columnar", "Engine", "Pipeline", "TestSupport"]),
    ]
)
