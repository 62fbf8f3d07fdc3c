import Foundation
import RuleTestSupport
import Testing

/// `rulepack hunt` over the bundled sample events: exactly the expected devices per rule
/// (samples/syncromsp/README.md), against a golden table, also through --db reuse.
@Suite("rulepack hunt")
struct HuntCommandTests {
    static let events = ["DeviceFileCertificateInfo.csv", "DeviceProcessEvents.csv", "DeviceNetworkEvents.jsonl"].map { "samples/syncromsp/\($0)" }
    static let now = ["--now", "2026-11-29T12:00:00Z"]

    @Test func goldenTable() throws {
        let r = try CommandRunner.run(["hunt", "packs/syncromsp", "--events"] + Self.events + Self.now)
        #expect(r.status == 1)  // findings
        let file = Paths.golden.appendingPathComponent("hunt-syncromsp.txt")
        if ProcessInfo.processInfo.environment["RULEPACK_UPDATE_GOLDEN"] == "1" {
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(r.stdout == (try String(contentsOf: file, encoding: .utf8)))
        #expect(r.stderr.contains("loaded 300 events into DeviceFileCertificateInfo from samples/syncromsp/DeviceFileCertificateInfo.csv"))
    }

    @Test func exactlyTheExpectedDevices() throws {
        let r = try CommandRunner.run(["hunt", "packs/syncromsp", "--format", "json", "--events"] + Self.events + Self.now)
        let results = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        var devices: [String: [String]] = [:]
        for result in results {
            let findings = result["findings"] as? [[String: Any]] ?? []
            devices[result["id"] as? String ?? ""] = Array(Set(findings.compactMap { $0["DeviceName"] as? String })).sorted()
        }
        #expect(devices == [
            "3510a677-6a63-45f5-a0cd-509c5b865e0e": ["LT-SALES-11", "SRV-FILE-02", "WS-ACCT-07"],
            "d22805c7-d987-48d3-bb98-5e1d4bb053af": ["SRV-FILE-02", "WS-ACCT-07"],
            "b9e378d6-850c-4b7d-9133-b4be3c7433eb": ["SRV-FILE-02", "WS-ACCT-07"],
        ])
    }

    @Test func theDatabaseIsReused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-hunt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("events.db").path
        let golden = try String(contentsOf: Paths.golden.appendingPathComponent("hunt-syncromsp.txt"), encoding: .utf8)
        let loaded = try CommandRunner.run(["hunt", "packs/syncromsp", "--db", db, "--events"] + Self.events + Self.now)
        #expect(loaded.stdout == golden)
        let reused = try CommandRunner.run(["hunt", "packs/syncromsp", "--db", db] + Self.now)
        #expect(reused.stdout == golden)
        #expect(!reused.stderr.contains("loaded"))
        // Loading again replaces the rows rather than doubling them.
        let again = try CommandRunner.run(["hunt", "packs/syncromsp", "--db", db, "--events"] + Self.events + Self.now)
        #expect(again.stdout == golden)
    }

    @Test func malformedLinesAreReportedAndSkipped() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-hunt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("DeviceFileCertificateInfo.csv")
        try "Timestamp,DeviceId,DeviceName,Signer,ReportId,Extra\n2026-11-28T10:00:00Z,d1,h1,\"Servably, Inc.\",1,x\n2026-11-28T10:00:00Z,d2,h2\n2026-11-28T11:00:00Z,d3,h3,\"Servably, Inc.\",3,y\n".write(to: csv, atomically: true, encoding: .utf8)
        let jsonl = folder.appendingPathComponent("events.jsonl")
        try "{\"Timestamp\":\"2026-11-28T10:00:00Z\",\"DeviceId\":\"d9\",\"DeviceName\":\"h9\",\"ProcessVersionInfoCompanyName\":\"Servably, Inc.\",\"ProcessVersionInfoProductName\":\"Syncro\",\"AdditionalFields\":{\"a\":1}}\n{oops\n".write(to: jsonl, atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["hunt", "packs/syncromsp", "--format", "csv", "--events", csv.path, "DeviceProcessEvents=\(jsonl.path)"] + Self.now)
        #expect(r.status == 1)
        #expect(r.stderr.contains("DeviceFileCertificateInfo.csv:3:1: warning: 3 fields where the header has 6; the line is skipped"))
        #expect(r.stderr.contains("events.jsonl:2:1: warning: not a JSON object; the line is skipped"))
        #expect(r.stderr.contains("loaded 2 events into DeviceFileCertificateInfo"))
        #expect(r.stderr.contains("warning: no events are loaded for DeviceNetworkEvents"))
        #expect(r.stdout.contains("3510a677-6a63-45f5-a0cd-509c5b865e0e,Remote Management and Monitoring tool - SyncroMSP - File Signature,DeviceId=d1; DeviceName=h1,"))
        #expect(r.stdout.contains("DeviceId=d9; DeviceName=h9; AccountUpn="))
    }

    @Test("usage errors exit 2", arguments: [
        ["hunt", "packs/syncromsp"], ["hunt", "packs/syncromsp", "--events", "x.csv", "--now", "yesterday"],
        ["hunt", "packs/syncromsp", "--events", "no/such/DeviceEvents.csv"],
    ])
    func usage(arguments: [String]) throws {
        #expect(try CommandRunner.run(arguments).status == 2)
    }

    /// What --engine spark refuses before it starts Spark (so these run without one).
    @Test("spark usage errors", arguments: [
        (["--engine", "spark"], "--engine spark reads --events files or folders on each run"),
        (["--engine", "spark", "--events", "samples/syncromsp/DeviceProcessEvents.csv", "--db", "x.db"], "--db applies to --engine sqlite and postgres"),
        (["--engine", "spark", "--events", "DeviceNetworkEvents=s3a://lake/defender/network"],
         "s3a://lake/defender/network:1:1: error: cannot tell the events' format from the name: give --events-format parquet, json or csv"),
        (["--engine", "spark", "--events", "no/such/DeviceNetworkEvents.parquet"], "no/such/DeviceNetworkEvents.parquet:1:1: error: no such file or folder"),
        (["--engine", "spark", "--events", "samples/syncromsp/README.md"], "samples/syncromsp/README.md:1:1: error: no Defender table is named README"),
        (["--master", "yarn", "--events", "samples/syncromsp/DeviceProcessEvents.csv"], "--master and --events-format apply to --engine spark"),
    ])
    func sparkUsage(arguments: [String], message: String) throws {
        let r = try CommandRunner.run(["hunt", "packs/syncromsp"] + arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
