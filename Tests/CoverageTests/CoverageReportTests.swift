import Coverage
import Foundation
import RuleModel
import RuleTestSupport
import Testing

@Suite("ATT&CK coverage")
struct CoverageReportTests {
    static func packRules() throws -> [Rule] {
        try ["rmm_SyncroMSP_createproc", "rmm_SyncroMSP_filesig", "rmm_SyncroMSP_netconn"].map { try readRule(Paths.packRule($0)) }
    }

    @Test("golden layer, Markdown and JSON of the bundled pack")
    func goldens() throws {
        // Paths relative to the repository, as a user gives them.
        let rules = try Self.packRules().map { rule -> Rule in
            var r = rule
            r.sourceFile = "packs/syncromsp/" + URL(fileURLWithPath: rule.sourceFile).lastPathComponent
            return r
        }
        let report = CoverageReport(rules: rules)
        for (text, file) in [
            (report.navigatorLayer(name: "syncromsp", linkBase: "https://example.org/pack/"), "coverage-syncromsp.layer.json"),
            (report.markdown, "coverage-syncromsp.md"),
            (report.json, "coverage-syncromsp.json"),
        ] {
            let mismatch = try goldenMismatch(text, file: file)
            #expect(mismatch == nil, "\(mismatch ?? "")")
        }
    }

    @Test("a technique counts under the rule's own tactic; a sub-technique expands its parent")
    func tacticsAndSubtechniques() throws {
        var rule = try ruleFromQuery("DeviceProcessEvents\n| where FileName == 'x.exe'")
        rule.metadata.name = "Remote Management and Monitoring tool - AnyDesk - Process"
        rule.metadata.tactics = ["CommandAndControl"]
        // T1036 is defense-evasion only: a rule that names another tactic still counts under it.
        rule.metadata.techniques = ["T1219.002", "t1036"]
        let report = CoverageReport(rules: [rule])
        #expect(report.cells.map { "\($0.techniqueID)/\($0.tactic)" } == ["T1036/defense-evasion", "T1219.002/command-and-control"])
        #expect(report.tools.map(\.name) == ["AnyDesk"])
        let layer = try JSONSerialization.jsonObject(with: Data(report.navigatorLayer(name: "x", linkBase: nil).utf8)) as? [String: Any]
        let techniques = try #require(layer?["techniques"] as? [[String: Any]])
        let parent = try #require(techniques.first { $0["techniqueID"] as? String == "T1219" })
        #expect(parent["showSubtechniques"] as? Bool == true)
        #expect(parent["score"] == nil)
        let link = try #require(((techniques.first?["links"] as? [[String: Any]])?.first?["url"]) as? String)
        #expect(link.hasPrefix("file:///"))
    }
}
