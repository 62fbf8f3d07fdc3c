// swift-tools-version: 6.1
// libFuzzer targets for rulepack's readers. Built and run by scripts/fuzz, which links the
// project in as .rulepack-root/rulepack so the dependency's name is the same in any checkout.
import PackageDescription

let package = Package(
    name: "RulepackFuzz",
    dependencies: [.package(path: ".rulepack-root/rulepack")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzKQLReader", dependencies: ["FuzzDriver", .product(name: "RuleFuzzing", package: "rulepack")]),
        .executableTarget(name: "FuzzRuleReader", dependencies: ["FuzzDriver", .product(name: "RuleFuzzing", package: "rulepack")]),
    ],
    swiftLanguageModes: [.v6]
)
