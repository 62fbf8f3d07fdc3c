import Foundation
import RuleModel
import RuleReading
import RuleTestSupport
import Testing

@Suite("Sentinel rule reader")
struct SentinelRuleReaderTests {
    let reader = SentinelRuleReader()

    func diagnostics(_ name: String) -> [Diagnostic] {
        reader.read(fileAt: Paths.fixtures.appendingPathComponent("rules/\(name)").path).diagnostics
    }

    @Test("broken files: one error at the line and column of the defect", arguments: [
        ("invalid/yaml-syntax.yaml", 5, 1, "quoted scalar at line 2, column 7"),
        ("invalid/kql-syntax.yaml", 6, 3, "KQL: expected an expression, found '|'"),
        ("invalid/unsupported-operator.yaml", 6, 5, "unsupported KQL operator 'join'"),
        ("invalid/unsupported-function.yaml", 5, 37, "unsupported KQL function 'parse_json'"),
        ("invalid/missing-query.yaml", 1, 1, "no 'query' key"),
        ("invalid/filter-syntax.yaml", 9, 26, "unexpected character '='"),
    ])
    func brokenFiles(file: String, line: Int, column: Int, message: String) {
        let errors = diagnostics(file).filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.position == SourcePosition(line: line, column: column))
        #expect(errors.first?.message.contains(message) == true, "\(errors.first?.message ?? "none")")
        #expect(errors.first?.file.hasSuffix(file) == true)
    }

    @Test func catalogueIndentationIsRepairedWithAWarning() throws {
        let result = reader.read(fileAt: Paths.fixtures.appendingPathComponent("rules/valid/catalogue-style.yaml").path)
        #expect(!result.hasErrors)
        #expect(result.diagnostics.map(\.position) == [SourcePosition(line: 7, column: 5)])
        #expect(result.diagnostics.first?.severity == .warning)
        #expect(result.diagnostics.first?.message.contains("'dataTypes:' is indented at the level of the '- connectorId:' dash on line 6") == true)
        let rule = try #require(result.rule)
        #expect(rule.metadata.connectors == [DataConnector(connectorId: "MicrosoftThreatProtection", dataTypes: ["DeviceProcessEvents"])])
        // CRLF file: the query is still placed on its own lines.
        #expect(rule.detection.source.position == SourcePosition(line: 12, column: 3))
    }

    @Test func otherInvalidYAMLIsNotGuessedAt() {
        let result = reader.read(text: "id: x\nname: [unclosed\nquery: |\n  T\n", path: "bad.yaml")
        #expect(result.rule == nil)
        #expect(result.diagnostics.first?.severity == .error)
        #expect(result.diagnostics.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func fileSignatureRuleIsTheSeedsRule() throws {
        let rule = try readRule(Paths.packRule("rmm_SyncroMSP_filesig"))
        let m = rule.metadata
        #expect(m.id == "3510a677-6a63-45f5-a0cd-509c5b865e0e")
        #expect(m.name == "Remote Management and Monitoring tool - SyncroMSP - File Signature")
        #expect(m.tactics == ["CommandAndControl"])
        #expect(m.techniques == ["T1219"])
        #expect(m.kind == .huntingQuery)
        #expect(m.connectors == [DataConnector(connectorId: "MicrosoftThreatProtection", dataTypes: ["DeviceFileCertificateInfo"])])
        #expect(rule.detection.source.name == "DeviceFileCertificateInfo")
        #expect(rule.detection.lookback == .days(5))
        #expect(rule.falsePositives.map(\.scenario) == [
            "System update via SyncroMSP", "Scheduled job for asset inventory", "Admin task to deploy configuration profiles",
            "File integrity monitoring (FIM) check", "Remote PowerShell script execution",
        ])
        // Kept exactly as the seed wrote it, defects included.
        #expect(rule.falsePositives[0].filterText == #"process.name != "setup.exe" OR process.name != "msiexec.exe" OR file.hash != "known_update_hash""#)
        #expect(rule.falsePositives.allSatisfy { $0.filter != nil })
        #expect(rule.falsePositives[0].filterPosition == SourcePosition(line: 26, column: 13))
    }

    @Test func columnPositionsAreInTheFile() throws {
        let rule = try readRule(Paths.packRule("rmm_SyncroMSP_filesig"))
        guard case .filter(let predicate) = rule.detection.operators[1] else { throw TestFailure("where") }
        #expect(predicate.columns.first?.position == SourcePosition(line: 18, column: 11))
    }

    @Test func exclusionsResolveAgainstTheTable() throws {
        let rule = try readRule(Paths.fixtures.appendingPathComponent("rules/valid/exclusions.yaml"))
        let outcomes = rule.exclusionOutcomes().map(\.1)
        #expect(outcomes[0] == .applied(.and([
            .stringPredicate(StringPredicate(.column(ColumnReference("FileName")), .equals, .string("syncro.app.runner.exe"))),
            .stringPredicate(StringPredicate(.column(ColumnReference("AccountName")), .equals, .string("msp-tech"))),
        ])))
        guard case .leftOut(let reason, _) = outcomes[2] else { throw TestFailure("event_id filter applied") }
        #expect(reason == "DeviceProcessEvents has no column for 'event_id'")
        #expect(rule.effectiveDetection().operators.count == rule.detection.operators.count + 2)
    }

    @Test func seedFiltersAreAllLeftOutForTheCertificateTable() throws {
        let rule = try readRule(Paths.packRule("rmm_SyncroMSP_filesig"))
        for (fp, outcome) in rule.exclusionOutcomes() {
            guard case .leftOut = outcome else {
                Issue.record("\(fp.scenario) applied to DeviceFileCertificateInfo")
                continue
            }
        }
        #expect(rule.effectiveDetection() == rule.detection)
    }
}

@Suite("False-positive filter language")
struct FilterParserTests {
    @Test func seedFilter() throws {
        let parsed = try FilterParser.parse(#"process.name == "powershell.exe" AND parent_process.name == "syncromsp_agent.exe" AND script_path != "known_safe_script_path""#)
        guard case .and(let items) = parsed else { throw TestFailure("not an AND") }
        #expect(items.count == 3)
        #expect(items[2] == .comparison(field: "script_path", negated: true, value: "known_safe_script_path", position: SourcePosition(line: 1, column: 87)))
    }

    @Test func precedenceNotAndParentheses() throws {
        let parsed = try FilterParser.parse(#"a == "1" or b == '2' and not (c != "3")"#)
        guard case .or(let items) = parsed, case .and(let right) = items[1], case .not = right[1] else {
            throw TestFailure("shape: \(parsed)")
        }
    }

    @Test("errors", arguments: [
        (#"a = "1""#, 3, "unexpected character '='"),
        (#"a == 1"#, 6, "expected a quoted value"),
        (#"a == "1" b == "2""#, 10, "join comparisons with AND or OR"),
        (#"a == "1"#, 6, "unterminated quoted value"),
    ])
    func errors(text: String, column: Int, message: String) {
        do {
            _ = try FilterParser.parse(text)
            Issue.record("parsed")
        } catch {
            #expect(error.position.column == column)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
