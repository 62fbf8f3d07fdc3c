import Foundation
import RuleTesting
import RuleModel
import RuleReading

/// Where the package's own files are, found from this source file so tests run from any folder.
public enum Paths {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    public static let golden = root.appendingPathComponent("Tests/Golden")
    public static let packs = root.appendingPathComponent("packs")

    /// Every rule file (`*.yaml`, `*.yml`, but no `*.tests.yaml`) below `folder`, sorted.
    public static func yamlFiles(in folder: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "yaml" || url.pathExtension == "yml", !RuleTestFile.isTestFile(url.path) { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Every rule that must read cleanly: the shipped packs and the valid fixtures.
    public static var validRules: [URL] {
        yamlFiles(in: packs) + yamlFiles(in: fixtures.appendingPathComponent("rules/valid"))
    }

    public static func packRule(_ name: String) -> URL {
        packs.appendingPathComponent("syncromsp/\(name).yaml")
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a rule file that must read without errors.
public func readRule(_ url: URL) throws -> Rule {
    let result = SentinelRuleReader().read(fileAt: url.path)
    guard let rule = result.rule, !result.hasErrors else {
        throw TestFailure("\(url.lastPathComponent) did not read: \(result.diagnostics.map(\.description).joined(separator: "\n"))")
    }
    return rule
}

/// Reads a query given as KQL text, wrapped in a minimal rule.
public func ruleFromQuery(_ query: String, falsePositives: String = "") throws -> Rule {
    let indented = query.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    let yaml = "id: 00000000-0000-4000-8000-000000000000\nname: Test rule\nquery: |\n\(indented)\n" + falsePositives
    let result = SentinelRuleReader().read(text: yaml, path: "test.yaml")
    guard let rule = result.rule, !result.hasErrors else {
        throw TestFailure("query did not read: \(result.diagnostics.map(\.description).joined(separator: "\n"))")
    }
    return rule
}

/// Compares `actual` with the golden file `name` in Tests/Golden; with RULEPACK_UPDATE_GOLDEN=1
/// it rewrites the file first (review the diff before committing). Returns nil when they agree,
/// else the message for the failure.
public func goldenMismatch(_ actual: String, file name: String) throws -> String? {
    let file = Paths.golden.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RULEPACK_UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: Paths.golden, withIntermediateDirectories: true)
        try actual.write(to: file, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    return actual == expected ? nil : "\(name) differs; rerun with RULEPACK_UPDATE_GOLDEN=1 and review the diff"
}
