import Foundation
import RuleTestSupport
import Testing

/// Deployment and coverage exports from the command line: bundles, refusals at line and
/// column with the run going on, reproducible dates, and their usage errors.
@Suite("rulepack exports")
struct ExportCommandTests {
    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-export-\(UUID().uuidString)")
    }

    func golden(_ name: String) throws -> String {
        try String(contentsOf: Paths.golden.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func theBundleIsOneTemplateForThePack() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bundle = folder.appendingPathComponent("pack.json")
        let r = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "sentinel-arm", "--bundle", bundle.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try String(contentsOf: bundle, encoding: .utf8) == (try golden("syncromsp.sentinel-arm-bundle.json")))
        #expect(r.stderr.contains("rmm_SyncroMSP_createproc.yaml:13:1: note: written for Microsoft Sentinel: Log Analytics names Defender's Timestamp column TimeGenerated"))
    }

    @Test func aRuleATargetCannotExpressIsRefusedAtItsPlaceAndTheRunGoesOn() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["convert", "Tests/Fixtures/rules/valid", "--to", "defender-xdr", "--out", folder.path])
        #expect(r.status == 1)
        // hostile.yaml's `project DeviceId, Signer, Issuer, ReportId` drops Timestamp: refused at that project.
        #expect(r.stderr.contains("hostile.yaml:13:13: error: a custom detection's query must return Timestamp, ReportId, DeviceId; this one does not return Timestamp"), "\(r.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(written.contains("3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e02.json"))
        #expect(!written.contains("9c0d1e2f-3a4b-4c5d-9e6f-7a8b9c0d1e05.json"))
    }

    @Test("an ARM export refuses what the API rejects, at the field", arguments: [
        ("queryFrequency: 1h", "queryFrequency: hourly", "6:17: error: queryFrequency 'hourly' is not a duration (5m, 1h, 14d or hh:mm:ss)"),
        ("triggerOperator: gt", "triggerOperator: GreaterThanOrEqual", "8:18: error: triggerOperator 'GreaterThanOrEqual' is not one of Equal, GreaterThan, LessThan, NotEqual (or gt, lt, eq, ne)"),
        ("  - T1219", "  - T1219.2", "17:5: error: 'T1219.2' is not an ATT&CK technique id (T#### or T####.###)"),
    ])
    func armRefusals(original: String, replacement: String, message: String) throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: Paths.fixtures.appendingPathComponent("rules/valid/aggregates.yaml"), encoding: .utf8)
        #expect(text.contains(original))
        let rule = folder.appendingPathComponent("rule.yaml")
        try text.replacingOccurrences(of: original, with: replacement).write(to: rule, atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["convert", rule.path, "--to", "sentinel-arm"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("rule.yaml:" + message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// The public catalogue's network rules group DeviceNetworkEvents by AccountUpn, which it
    /// does not have: both platforms would refuse the query at deployment.
    @Test("a query reading a column its table lacks is not deployed", arguments: [("sentinel-arm", "Sentinel"), ("defender-xdr", "Defender")])
    func unknownColumn(target: String, platform: String) throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let rule = folder.appendingPathComponent("netconn.yaml")
        try """
        id: 5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d31
        name: Network connection grouped by a column the table lacks
        query: |
          DeviceNetworkEvents
          | where RemoteUrl has 'syncromsp.com'
          | summarize Count = count() by DeviceId, AccountUpn

        """.write(to: rule, atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["convert", rule.path, "--to", target])
        #expect(r.status == 1)
        #expect(r.stderr.contains("netconn.yaml:6:44: error: column 'AccountUpn' does not exist here (did you mean 'InitiatingProcessAccountUpn'?); \(platform) refuses to deploy a query that does not compile"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func aSubTechniqueMovesTheRuleToThePreviewAPI() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(contentsOf: Paths.fixtures.appendingPathComponent("rules/valid/aggregates.yaml"), encoding: .utf8)
        let rule = folder.appendingPathComponent("rule.yaml")
        try text.replacingOccurrences(of: "  - T1219", with: "  - T1219.002").write(to: rule, atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["convert", rule.path, "--to", "sentinel-arm"])
        #expect(r.status == 0, "\(r.stderr)")
        let template = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let resource = try #require((template["resources"] as? [[String: Any]])?.first)
        let properties = try #require(resource["properties"] as? [String: Any])
        #expect(resource["apiVersion"] as? String == "2025-07-01-preview")
        #expect(properties["techniques"] as? [String] == ["T1219"])
        #expect(properties["subTechniques"] as? [String] == ["T1219.002"])
        #expect(r.stderr.contains("apiVersion 2025-07-01-preview: sub-techniques (T1219.002) exist only in preview apiVersions of alertRules"))
    }

    @Test func sigmaDatesComeFromTheOptionOrTheRuleNeverTheClock() throws {
        let rule = "packs/syncromsp/rmm_SyncroMSP_createproc.yaml"
        let given = try CommandRunner.run(["convert", rule, "--to", "sigma", "--date", "2025-03-04"])
        #expect(given.status == 0)
        #expect(given.stdout.contains("\ndate: 2025-03-04\n"))
        let none = try CommandRunner.run(["convert", rule, "--to", "sigma"])
        #expect(none.status == 0)
        #expect(!none.stdout.contains("\ndate:"))
        #expect(none.stderr.contains("note: no date to write: Sigma's `date` is left out (give --date YYYY-MM-DD, or x-date in the rule)"))

        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dated = folder.appendingPathComponent("dated.yaml")
        try ("x-date: 2024-05-06\n" + String(contentsOfFile: rule, encoding: .utf8)).write(to: dated, atomically: true, encoding: .utf8)
        let fromRule = try CommandRunner.run(["convert", dated.path, "--to", "sigma"])
        #expect(fromRule.stdout.contains("\ndate: 2024-05-06\n"), "\(fromRule.stderr)")
        try ("x-date: May 6\n" + String(contentsOfFile: rule, encoding: .utf8)).write(to: dated, atomically: true, encoding: .utf8)
        let bad = try CommandRunner.run(["convert", dated.path, "--to", "sigma"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("dated.yaml:1:9: error: 'x-date' must be a date written YYYY-MM-DD, not 'May 6'"), "\(bad.stderr)")
    }

    @Test func kqlForSentinelNamesTheTimeColumnTimeGenerated() throws {
        let r = try CommandRunner.run(["convert", "packs/syncromsp/rmm_SyncroMSP_netconn.yaml", "--to", "kql", "--platform", "sentinel"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("| where TimeGenerated between (Time_start .. Time_end)"))
        #expect(r.stdout.contains("FirstSeen = min(TimeGenerated)"))
        #expect(!r.stdout.contains("Timestamp"))
    }

    @Test("export usage errors exit 2", arguments: [
        (["convert", "packs", "--to", "sigma", "--platform", "sentinel"], "--platform applies to --to kql only"),
        (["convert", "packs", "--to", "kql", "--bundle", "x.json"], "--bundle applies to --to sentinel-arm only"),
        (["convert", "packs", "--to", "sigma", "--date", "2026-13-01"], "--date takes a day written YYYY-MM-DD"),
        (["convert", "packs", "--to", "kql", "--date", "2026-01-01"], "--date applies to --to sigma only"),
        (["coverage", "packs", "--link-base", "example.org"], "--link-base must start with https://"),
        (["coverage", "packs", "--format", "svg"], "svg"),
    ])
    func usage(arguments: [String], message: String) throws {
        let r = try CommandRunner.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func coverageWritesTheLayerAndTheReadmeTables() throws {
        let layer = try CommandRunner.run(["coverage", "packs/syncromsp", "--name", "syncromsp", "--link-base", "https://example.org/pack/"])
        #expect(layer.status == 0, "\(layer.stderr)")
        #expect(layer.stdout == (try golden("coverage-syncromsp.layer.json")))
        let markdown = try CommandRunner.run(["coverage", "packs/syncromsp", "--format", "markdown"])
        #expect(markdown.stdout == (try golden("coverage-syncromsp.md")))
    }
}
