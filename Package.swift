// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "rulepack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rulepack", targets: ["rulepack"]),
        .library(name: "RuleModel", targets: ["RuleModel"]),
        .library(name: "RuleReading", targets: ["RuleReading"]),
        .library(name: "RuleWriting", targets: ["RuleWriting"]),
        .library(name: "RuleChecks", targets: ["RuleChecks"]),
        .library(name: "RuleFuzzing", targets: ["RuleFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // System libraries (Debian: libgit2-dev, libsqlite3-dev, libpq-dev; scripts/setup installs them).
        .systemLibrary(name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // What every module may need and none owns: "did you mean", file writing, concurrency,
        // SHA-1 and the terminal's progress bar. No dependencies, so the model stays free of them.
        .target(name: "Support"),
        // The one bounded way to read YAML (rule files, manifests, locks).
        .target(name: "YAMLLoading", dependencies: ["Yams"]),
        .target(name: "RuleModel", dependencies: ["Support"], resources: [.copy("Resources/defender-tables.tsv"), .copy("Resources/attack-enterprise.json"), .copy("Resources/over-broad-indicators.tsv")]),
        .target(name: "RuleReading", dependencies: ["RuleModel", "Support", "YAMLLoading", "Yams"]),
        .target(name: "RuleWriting", dependencies: ["RuleModel", "Support", "Yams"]),
        .target(name: "RuleChecks", dependencies: ["RuleModel", "RuleReading", "Support", "YAMLLoading"]),
        // What the fuzzers check, shared with the test that replays their saved inputs.
        .target(name: "RuleFuzzing", dependencies: ["RuleModel", "RuleReading", "RuleWriting", "RuleChecks"]),
        .target(name: "Coverage", dependencies: ["RuleModel", "RuleWriting"]),
        .target(name: "ToolCatalogues", dependencies: ["RuleModel", "RuleTemplates", "Support", "YAMLLoading", "Yams"]),
        .target(name: "SQLiteDatabase", dependencies: ["CSQLite"]),
        .target(name: "Hunting", dependencies: ["RuleModel", "RuleWriting", "SQLiteDatabase", "CLibPQ"], resources: [.copy("Resources/rulepack-spark-driver.py")]),
        .target(name: "RuleTesting", dependencies: ["RuleModel", "RuleReading", "RuleWriting", "Hunting", "Support", "YAMLLoading", "Yams"]),
        .target(name: "RuleTemplates", dependencies: [
            "RuleModel", "RuleChecks", "RuleTesting", "Hunting", "Yams",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "CSystemShims"),
        .target(name: "PackSync", dependencies: ["CLibGit2", "CSystemShims", "RuleModel", "RuleReading", "RuleTemplates", "Support", "ToolCatalogues", "YAMLLoading", "Yams"]),
        .executableTarget(
            name: "rulepack",
            dependencies: [
                "RuleModel", "RuleReading", "RuleWriting", "RuleChecks", "PackSync", "Hunting", "SQLiteDatabase", "RuleTemplates", "RuleTesting", "Coverage", "ToolCatalogues", "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Fixtures and golden files live in Tests/Fixtures and Tests/Golden, shared with the
        // Python oracle tests; the Swift tests find them from #filePath.
        .target(name: "RuleTestSupport", dependencies: ["RuleModel", "RuleReading", "RuleTesting", "SQLiteDatabase"], path: "Tests/RuleTestSupport"),
        .testTarget(name: "RuleReadingTests", dependencies: ["RuleReading", "RuleWriting", "RuleTestSupport"]),
        .testTarget(name: "RuleWritingTests", dependencies: ["RuleReading", "RuleWriting", "SQLiteDatabase", "RuleTestSupport", "Yams"]),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "YAMLLoadingTests", dependencies: ["YAMLLoading", "Yams"]),
        .testTarget(name: "RuleModelTests", dependencies: ["RuleModel"]),
        .testTarget(name: "HuntingTests", dependencies: ["Hunting"]),
        .testTarget(name: "RuleTestingTests", dependencies: ["RuleTesting", "RuleModel", "RuleReading", "Hunting", "RuleTestSupport"]),
        .testTarget(name: "RuleChecksTests", dependencies: ["RuleChecks", "RuleReading", "RuleTestSupport"]),
        .testTarget(name: "RuleFuzzingTests", dependencies: ["RuleFuzzing", "RuleTestSupport"]),
        .testTarget(name: "CommandLineTests", dependencies: ["RuleTestSupport"]),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage", "RuleReading", "RuleTestSupport"]),
        .testTarget(name: "ToolCataloguesTests", dependencies: ["ToolCatalogues", "RuleTemplates", "RuleTestSupport"]),
        .testTarget(name: "PackSyncTests", dependencies: ["PackSync", "RuleTestSupport"]),
        .testTarget(name: "RuleTemplatesTests", dependencies: ["RuleTemplates", "RuleReading", "RuleWriting", "RuleTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
