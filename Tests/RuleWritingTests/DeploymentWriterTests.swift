import Foundation
import RuleModel
import RuleTestSupport
import RuleReading
@testable import RuleWriting
import Testing

@Suite("Deployment writers")
struct DeploymentWriterTests {
    @Test("Sentinel durations as ISO 8601", arguments: [
        ("5m", "PT5M"), ("1h", "PT1H"), ("14d", "P14D"), ("90m", "PT1H30M"), ("01:30:00", "PT1H30M"),
        ("1.00:00:00", "P1D"), ("2.03:04:05", "P2DT3H4M5S"), ("0m", "PT0S"),
    ])
    func durations(text: String, iso: String) {
        #expect(SentinelDuration(text)?.iso8601 == iso)
    }

    @Test("not durations", arguments: ["hourly", "5M", "1:60:00", "", "5 m", "1w"])
    func notDurations(text: String) {
        #expect(SentinelDuration(text) == nil)
    }

    func rule(_ yaml: String) throws -> Rule {
        let result = SentinelRuleReader().read(text: yaml, path: "rule.yaml")
        return try #require(result.rule, "\(result.diagnostics)")
    }

    func scheduled(frequency: String = "1h", extra: String = "", query: String = "DeviceProcessEvents\n  | where FileName =~ 'x.exe'") -> String {
        """
        id: 00000000-0000-4000-8000-000000000001
        name: Test rule
        kind: Scheduled
        queryFrequency: \(frequency)
        queryPeriod: 1d
        triggerOperator: gt
        triggerThreshold: 0
        \(extra)query: |
          \(query)

        """
    }

    @Test("custom-detection schedules", arguments: [
        ("5m", "PT1H", true), ("1h", "PT1H", false), ("2h", "PT1H", true), ("6h", "PT3H", true), ("12h", "PT12H", false),
        ("1d", "PT24H", false), ("5d", "PT24H", true),
    ])
    func schedules(frequency: String, expected: String, changed: Bool) throws {
        var notes: [WriterNote] = []
        let written = DefenderDetectionWriter().schedule(of: try rule(scheduled(frequency: frequency)).metadata, notes: &notes)
        #expect(written == expected)
        #expect(notes.contains { $0.message.contains("is not a custom-detection schedule") } == changed)
    }

    @Test func anArgMaxOfTheRuleCarriesTheMissingColumns() throws {
        let r = try rule(scheduled(query: "DeviceNetworkEvents\n  | summarize arg_max(Timestamp, RemoteUrl) by DeviceId"))
        let detection = try DefenderDetectionWriter().write(r)
        #expect(detection.text.contains("summarize arg_max(Timestamp, RemoteUrl, ReportId) by DeviceId"))
        #expect(detection.notes.contains { $0.message.hasPrefix("arg_max(Timestamp, RemoteUrl, ReportId): custom detections need") })
    }

    @Test func aSummarizeWithItsOwnTimestampColumnIsRefused() throws {
        let r = try rule(scheduled(query: "DeviceNetworkEvents\n  | summarize Timestamp = max(Timestamp) by DeviceId"))
        #expect(throws: WriterError.self) { try DefenderDetectionWriter().write(r) }
    }

    @Test func aSummarizeWithoutDeviceIdGainsItFromTheLatestEvent() throws {
        let r = try rule(scheduled(query: "DeviceNetworkEvents\n  | summarize Count = count() by RemoteUrl"))
        let detection = try DefenderDetectionWriter().write(r)
        #expect(detection.text.contains("summarize arg_max(Timestamp, ReportId, DeviceId), Count = count() by RemoteUrl"))
    }

    @Test func armMapsOperatorsAndCollapsesNothingItCannotKeep() throws {
        let r = try rule(scheduled(extra: "relevantTechniques:\n  - T1219\n  - t1071.001\ntactics:\n  - Command And Control\n"))
        let template = try JSONSerialization.jsonObject(with: Data(try SentinelARMWriter().write(r).text.utf8)) as? [String: Any]
        let resource = try #require((template?["resources"] as? [[String: Any]])?.first)
        let properties = try #require(resource["properties"] as? [String: Any])
        #expect(properties["triggerOperator"] as? String == "GreaterThan")
        #expect(properties["tactics"] as? [String] == ["CommandAndControl"])
        #expect(properties["techniques"] as? [String] == ["T1219", "T1071"])
        #expect(properties["subTechniques"] as? [String] == ["T1071.001"])
        #expect(resource["apiVersion"] as? String == "2025-07-01-preview")
    }

    @Test func aScheduledRuleWithoutItsScheduleIsRefusedAtItsKind() throws {
        let r = try rule("id: 00000000-0000-4000-8000-000000000001\nname: x\nkind: Scheduled\nquery: |\n  DeviceProcessEvents\n")
        #expect(throws: WriterError("a Scheduled rule needs queryFrequency", at: SourcePosition(line: 3, column: 1))) { try SentinelARMWriter().write(r) }
    }
}
