import Foundation
import RuleTestSupport
import Testing

/// `rulepack lint`: exit statuses (0 no error, 1 errors or --strict warnings, 2 usage or I/O),
/// options, and --fix writing only what it says.
@Suite("rulepack lint")
struct LintCommandTests {
    let cli = ConvertCommandTests()

    @Test func cleanFileExitsZero() throws {
        let r = try cli.run(["lint", "Tests/Fixtures/lint/clean.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 1 file\n")
    }

    @Test func errorsExitOne() throws {
        let r = try cli.run(["lint", "Tests/Fixtures/lint"])
        #expect(r.status == 1)
        #expect(r.stdout == (try String(contentsOf: Paths.golden.appendingPathComponent("lint.txt"), encoding: .utf8)))
    }

    @Test func warningsAloneExitZeroUnlessStrict() throws {
        #expect(try cli.run(["lint", "Tests/Fixtures/lint/catalogue.yaml"]).status == 0)
        #expect(try cli.run(["lint", "Tests/Fixtures/lint/catalogue.yaml", "--strict"]).status == 1)
    }

    @Test func disabledChecksAreSkipped() throws {
        let r = try cli.run(["lint", "Tests/Fixtures/lint/catalogue.yaml", "--strict", "--disable", "yaml-indentation"])
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 1 file\n")
    }

    @Test("usage errors exit 2", arguments: [
        ["lint"], ["lint", "packs", "--disable", "no-such-check"], ["lint", "packs", "--fix-ids"],
        ["lint", "packs", "--format", "xml"], ["lint", "no/such/folder"],
    ])
    func usage(arguments: [String]) throws {
        let r = try cli.run(arguments)
        #expect(r.status == 2, "\(r.stderr)")
    }

    @Test func listChecks() throws {
        let r = try cli.run(["lint", "--list-checks"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("ATT&CK Enterprise v18.1 (835 techniques)"))
        // 27 checks always on, and rule-without-tests (on with --require-tests).
        #expect(r.stdout.split(separator: "\n").count == 1 + 28)
        #expect(r.stdout.contains("rule-without-tests"))
    }

    @Test func requireTestsNamesTheRulesNoTestNames() throws {
        let tested = try cli.run(["lint", "packs/syncromsp", "--require-tests"])
        #expect(!tested.stdout.contains("rule-without-tests"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-untested-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["rmm_SyncroMSP_filesig.yaml", "rmm_SyncroMSP_netconn.yaml"] {
            try FileManager.default.copyItem(at: Paths.packs.appendingPathComponent("syncromsp/\(name)"), to: folder.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.packs.appendingPathComponent("syncromsp/tests/netconn.tests.yaml"), to: folder.appendingPathComponent("tests/netconn.tests.yaml"))
        let r = try cli.run(["lint", folder.path, "--require-tests", "--disable", "false-positive-filters", "false-positive-logic"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("rmm_SyncroMSP_filesig.yaml:1:1: error: no detection test names this rule"), "\(r.stdout)")
        #expect(!r.stdout.contains("rmm_SyncroMSP_netconn.yaml"))
        // Without the flag the check is off.
        #expect(!(try cli.run(["lint", folder.path])).stdout.contains("rule-without-tests"))
    }

    @Test func fixRepairsIndentationAndTacticsAndLeavesTheRest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rule.yaml")
        let original = try String(contentsOf: Paths.fixtures.appendingPathComponent("lint/catalogue.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "tactics: CommandAndControl", with: "tactics: 'Command and Control'")
        try original.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let r = try cli.run(["lint", file.path, "--fix"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stderr == "fixed 2 findings in 1 file\n")
        let fixed = try String(contentsOf: file, encoding: .utf8)
        #expect(fixed.contains("tactics: CommandAndControl\r\n"))
        #expect(fixed.contains("\r\n      dataTypes:\r\n          - DeviceFileCertificateInfo\r\n"))
        #expect(fixed.count == original.count + 4 - "'Command and Control'".count + "CommandAndControl".count)
        // The rewritten file keeps the original's permissions, and no temporary file is left.
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["rule.yaml"])
    }
}
