import Foundation
import RuleModel

/// SARIF 2.1.0 for GitHub code scanning: one run, rule metadata for every check, a result per
/// finding with its location and fix. Columns count Unicode code points, as rulepack's do.
public enum SARIFReporter {
    public static func report(_ findings: [Finding], checks: [any LintCheck], toolVersion: String) throws -> String {
        let rules = checks.map { check in
            ReportingDescriptor(
                id: check.info.id,
                name: check.info.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
                shortDescription: Message(text: check.info.summary),
                defaultConfiguration: Configuration(level: level(check.info.severity))
            )
        }
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = findings.map { finding in
            SARIFResult(
                ruleId: finding.check, ruleIndex: index[finding.check], level: level(finding.severity),
                message: Message(text: finding.message),
                locations: [Location(physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(uri: uri(finding.file)),
                    region: Region(startLine: finding.line, startColumn: finding.column)
                ))],
                fixes: finding.fix.map { fix in
                    [SARIFFix(description: Message(text: fix.description), artifactChanges: [ArtifactChange(
                        artifactLocation: ArtifactLocation(uri: uri(finding.file)),
                        replacements: fix.edits.map { edit in
                            Replacement(
                                deletedRegion: Region(startLine: edit.line, startColumn: edit.column, endLine: edit.line, endColumn: edit.column + edit.length),
                                insertedContent: Content(text: edit.replacement)
                            )
                        }
                    )])]
                }
            )
        }
        let log = SARIFLog(runs: [Run(
            tool: Tool(driver: Driver(name: "rulepack", version: toolVersion, informationUri: nil, rules: rules)),
            results: results
        )])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(log), as: UTF8.self) + "\n"
    }

    static func level(_ severity: DiagnosticSeverity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// A relative path stays relative (resolved against the checkout); an absolute one is a file URI.
    static func uri(_ path: String) -> String {
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    struct SARIFLog: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [SARIFResult]
        var columnKind = "unicodeCodePoints"
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var version: String
        var informationUri: String?
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { var level: String }
    struct Message: Encodable { var text: String }

    struct SARIFResult: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
        var fixes: [SARIFFix]?
    }

    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable { var uri: String }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int?
        var endColumn: Int?
    }

    struct SARIFFix: Encodable {
        var description: Message
        var artifactChanges: [ArtifactChange]
    }

    struct ArtifactChange: Encodable {
        var artifactLocation: ArtifactLocation
        var replacements: [Replacement]
    }

    struct Replacement: Encodable {
        var deletedRegion: Region
        var insertedContent: Content
    }

    struct Content: Encodable { var text: String }
}
