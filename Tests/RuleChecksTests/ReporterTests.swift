import Foundation
import RuleChecks
import RuleTestSupport
import Testing

/// The reporters against golden output, over the fixtures in Tests/Fixtures/lint (a clean rule,
/// one with a defect for many checks, and a catalogue-style file). `RULEPACK_UPDATE_GOLDEN=1`
/// rewrites the golden files.
@Suite("Lint reporters")
struct ReporterTests {
    static func findings() throws -> (findings: [Finding], files: Int) {
        let folder = Paths.fixtures.appendingPathComponent("lint")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        let files = try names.map { name in
            LintFile(path: "Tests/Fixtures/lint/\(name)", text: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
        return (Linter().lint(files), files.count)
    }

    static func output(_ format: String) throws -> String {
        let (findings, files) = try findings()
        switch format {
        case "txt": return (TextReporter.lines(findings) + [TextReporter.summary(findings, files: files)]).joined(separator: "\n") + "\n"
        case "json": return try JSONReporter.report(findings)
        default: return try SARIFReporter.report(findings, checks: Checks.all, toolVersion: "test")
        }
    }

    @Test("golden", arguments: ["txt", "json", "sarif"])
    func golden(format: String) throws {
        let mismatch = try goldenMismatch(try Self.output(format), file: "lint.\(format)")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func cleanFixtureHasNoFindings() throws {
        #expect(try Self.findings().findings.allSatisfy { !$0.file.hasSuffix("clean.yaml") })
    }

    @Test func findingsAreSortedByFileAndPosition() throws {
        let findings = try Self.findings().findings
        #expect(findings == findings.sorted(by: Finding.ordered))
        #expect(Set(findings.map(\.file)) == ["Tests/Fixtures/lint/catalogue.yaml", "Tests/Fixtures/lint/defects.yaml"])
    }
}

@Suite("Fixer")
struct FixerTests {
    @Test func editsChangeOnlyWhatTheySay() {
        let text = "a: 1\r\nb:\r\n  - x ü\r\n"
        let fixed = Fixer.apply([
            TextEdit(line: 2, column: 1, length: 0, replacement: "  "),
            TextEdit(line: 3, column: 7, length: 1, replacement: "u"),
            TextEdit(line: 1, column: 4, length: 1, replacement: "22"),
        ], to: text)
        #expect(fixed == "a: 22\r\n  b:\r\n  - x u\r\n")
    }

    @Test func overlappingEditsAreNotBothApplied() {
        // Edits apply from the end of the file backwards; one overlapping the applied one is skipped.
        let fixed = Fixer.apply([TextEdit(line: 1, column: 1, length: 3, replacement: "X"), TextEdit(line: 1, column: 2, length: 1, replacement: "Y")], to: "abcd")
        #expect(fixed == "aYcd")
    }

    @Test func theCatalogueFixMakesStrictYAMLAndOnlyInsertsSpaces() throws {
        let url = Paths.fixtures.appendingPathComponent("lint/catalogue.yaml")
        let original = try String(contentsOf: url, encoding: .utf8)
        let file = LintFile(path: "catalogue.yaml", text: original)
        let fixes = Linter().lint([file]).compactMap(\.fix)
        #expect(fixes.count == 1)
        let fixed = Fixer.apply(fixes.flatMap(\.edits), to: original)
        #expect(fixed.replacingOccurrences(of: " ", with: "") == original.replacingOccurrences(of: " ", with: ""))
        #expect(fixed.count == original.count + 4)
        let reread = LintFile(path: "catalogue.yaml", text: fixed)
        #expect(reread.read.diagnostics.isEmpty)
        #expect(Linter().lint([reread]).isEmpty)
    }

    @Test func idFixesAreOnlyForFixIDs() throws {
        let text = Example.rule(replacing: ["id:": "id: not-a-guid"])
        let finding = try #require(Linter().lint([LintFile(path: "x.yaml", text: text)]).first { $0.check == "id" })
        #expect(finding.fix?.kind == .newIdentifier)
        let fixed = Fixer.apply(finding.fix?.edits ?? [], to: text)
        #expect(Linter().lint([LintFile(path: "x.yaml", text: fixed)]).isEmpty)
    }
}

@Suite("rulepack lint packs/")
struct PackLintTests {
    /// The bundled pack has exactly the seed's defects: the always-true filter, and filter
    /// fields DeviceFileCertificateInfo does not have. Nothing else.
    @Test func onlyTheSeedsFilters() throws {
        let files = Paths.yamlFiles(in: Paths.packs).map { LintFile(path: $0.lastPathComponent, text: (try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
        let findings = Linter().lint(files)
        let summary = findings.map { "\($0.file):\($0.line):\($0.column) \($0.check)" }
        #expect(summary == [
            "rmm_SyncroMSP_filesig.yaml:26:13 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:26:13 false-positive-logic",
            "rmm_SyncroMSP_filesig.yaml:29:13 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:29:55 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:32:13 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:32:55 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:32:80 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:35:13 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:35:53 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:38:13 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:38:50 false-positive-filters",
            "rmm_SyncroMSP_filesig.yaml:38:99 false-positive-filters",
        ])
        #expect(findings.first { $0.check == "false-positive-logic" }?.message.contains("'System update via SyncroMSP' is always true") == true)
    }
}
