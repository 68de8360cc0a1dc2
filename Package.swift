// swift-tools-version: 6.2
import PackageDescription

/// Settings every lr target shares: Swift 6 mode with strict concurrency, and no warnings (a
/// warning in lr's own code fails the build; SwiftPM does not apply this to dependencies).
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "lr",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "lr", targets: ["lr"]),
    .executable(name: "lr-core", targets: ["lr-core"]),
    .library(name: "LiveResponse", targets: ["LiveResponse"]),
    .library(name: "LRLanguage", targets: ["LRLanguage"]),
    .library(name: "LRShell", targets: ["LRShell"]),
    .library(name: "DefenderEmulator", targets: ["DefenderEmulator"]),
    .library(name: "DefenderClient", targets: ["DefenderClient"]),
    .library(name: "LRLanguageServer", targets: ["LRLanguageServer"]),
    .library(name: "LRResults", targets: ["LRResults"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CEditLine",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
    ),
    .target(name: "CLRBuildInfo"),
    // Foundation-free: the `lr` launcher links only these (start-up, issue 16.3).
    .target(name: "LRSystem", dependencies: ["CLRBuildInfo"], swiftSettings: strict),
    .target(name: "LiveResponse", swiftSettings: strict),
    .target(name: "LRLanguage", dependencies: ["LiveResponse"], swiftSettings: strict),
    .target(name: "LRModules", dependencies: ["LRLanguage", "LRSystem"], swiftSettings: strict),
    .target(name: "LRPrompt", dependencies: ["LRSystem"], swiftSettings: strict),
    .target(
      name: "LRCheck", dependencies: ["LRLanguage", "LRModules", "LRSystem", "LiveResponse"],
      swiftSettings: strict),
    // The launcher is one static executable on Linux (Swift runtime and glibc linked in, no
    // dynamic loader): it starts in about half of `sqlite3 -version`'s time (docs/benchmarks.md).
    // It is not position-independent: a static PIE cannot carry the `-rpath=$ORIGIN` SwiftPM
    // adds to every executable (glibc's start-up asserts on it). It reads only the command line
    // and the user's .lr files, then execs lr-core, a PIE, in a fresh randomised address space.
    // The link prints glibc's warning about `dlopen` in static programs: the Swift runtime's
    // optional prespecialisation library, which lr never loads.
    .executableTarget(
      name: "lr", dependencies: ["LRCheck", "LRPrompt", "LRSystem"], swiftSettings: strict,
      linkerSettings: [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))]),
    .target(name: "LRResults", dependencies: ["LiveResponse"], swiftSettings: strict),
    .target(
      name: "LRLanguageServer",
      dependencies: ["LRLanguage", "LRModules", "LRSystem", "LiveResponse"],
      swiftSettings: strict),
    .target(
      name: "LRShell",
      dependencies: [
        "LRLanguage", "LiveResponse", "LREngine", "LRResults", "LRPrompt", "LRSystem", "CEditLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "DefenderEmulator",
      dependencies: [
        "LiveResponse",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "DefenderClient",
      dependencies: [
        "LiveResponse", "LRSystem",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LREngine",
      dependencies: [
        "LRLanguage",
        "LiveResponse",
        "LRModules",
        "LRResults",
        "DefenderClient",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
    .target(
      name: "LRTeam",
      dependencies: [
        "LREngine", "DefenderClient", "LiveResponse",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "lr-core",
      dependencies: [
        "LRCheck",
        "LRSystem",
        "LRTeam",
        "LRLanguage",
        "LRResults",
        "LiveResponse",
        "LRModules",
        "LREngine",
        "LRLanguageServer",
        "LRShell",
        "DefenderEmulator",
        "DefenderClient",
        "CEditLine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .executableTarget(
      name: "lr-bench", dependencies: ["DefenderClient", "LiveResponse"], swiftSettings: strict),
    .target(
      name: "LRFuzz", dependencies: ["LRLanguage", "LRLanguageServer", "LiveResponse"],
      swiftSettings: strict),
    .executableTarget(name: "lr-fuzz", dependencies: ["LRFuzz"], swiftSettings: strict),
    .target(
      name: "LRTestSupport",
      dependencies: [
        "LRLanguage", "DefenderEmulator", "DefenderClient",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict
    ),
    .testTarget(name: "LiveResponseTests", dependencies: ["LiveResponse"], swiftSettings: strict),
    .testTarget(
      name: "LRResultsTests",
      dependencies: [
        "LRResults", "LiveResponse",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LRLanguageTests",
      dependencies: [
        "LRLanguage", "LRTestSupport", "LiveResponse",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "DefenderEmulatorTests",
      dependencies: [
        "DefenderEmulator", "LRTestSupport", "LiveResponse",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "DefenderClientTests",
      dependencies: [
        "DefenderClient", "DefenderEmulator", "LRTestSupport", "LREngine", "LRLanguage",
        "LiveResponse",
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LREngineTests",
      dependencies: [
        "LREngine", "LRTestSupport", "DefenderEmulator", "DefenderClient", "LRResults",
        "LiveResponse",
        .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LRLanguageServerTests",
      dependencies: [
        "LRLanguageServer", "LRLanguage", "LRTestSupport", "LRFuzz",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LRModulesTests", dependencies: ["LRModules", "LRLanguage", "LRSystem"],
      swiftSettings: strict),
    .testTarget(
      name: "LRShellTests",
      dependencies: ["LRShell", "LRLanguage", "LREngine", "LRTestSupport", "LiveResponse"],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LRTeamTests",
      dependencies: [
        "LRTeam", "LREngine", "LRTestSupport", "DefenderClient", "DefenderEmulator", "LiveResponse",
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      swiftSettings: strict
    ),
    .testTarget(
      name: "LRCommandTests",
      dependencies: [
        "LRTestSupport", "DefenderClient", "LiveResponse",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict
    ),
  ]
)
