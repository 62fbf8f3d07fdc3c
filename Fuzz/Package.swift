// swift-tools-version: 6.1
// libFuzzer targets for rulepack's readers. Built and run by scripts/fuzz, which links the
// project in as .rulepack-root/rulepack so the dependency's name is the same in any checkout.
import PackageDescription

let package = Package(
    name: "RulepackFuzz",
    dependencies: [.package(path: ".rulepack-root/rulepack")],
    targets: [
        .executableTarget(name: "FuzzKQLReader", dependencies: [
            .product(name: "RuleReading", package: "rulepack"), .product(name: "RuleWriting", package: "rulepack"),
        ]),
        .executableTarget(name: "FuzzRuleReader", dependencies: [
            .product(name: "RuleReading", package: "rulepack"), .product(name: "RuleWriting", package: "rulepack"),
            .product(name: "RuleChecks", package: "rulepack"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
