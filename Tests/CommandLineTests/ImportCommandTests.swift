import Foundation
import RuleTestSupport
import Testing

/// `rulepack import lolrmm`: a folder per tool with rules that lint clean and tests that pass,
/// the same ids on every import, and every value or file it cannot use reported at its place.
@Suite("rulepack import")
struct ImportCommandTests {
    @Test func importsEveryUsableToolWithStableIDs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let into = folder.appendingPathComponent("lolrmm").path
        let r = try CommandRunner.run(["import", "lolrmm", "Tests/Fixtures/lolrmm", "--into", into])
        // broken.yaml is not YAML: reported, and the other tools are imported.
        #expect(r.status == 1)
        #expect(r.stderr.contains("Tests/Fixtures/lolrmm/yaml/broken.yaml:5:1: error: invalid YAML"), "\(r.stderr)")
        #expect(r.stderr.contains("Tests/Fixtures/lolrmm/yaml/nothing.yaml:1:1: note: Nothing Remote has no usable indicator (no signer, company, product, process name or host); no rule"))
        #expect(r.stdout == "4 tools: 5 rules for 2 tools into \(into); 2 tools without a rule; 8 values left out (--verbose lists them)\n")
        let files = try FileManager.default.subpathsOfDirectory(atPath: into).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files == [
            "ratbox/rmm_RatBox_createproc.yaml", "ratbox/rmm_RatBox_netconn.yaml",
            "ratbox/tests/rmm_RatBox_createproc.tests.yaml", "ratbox/tests/rmm_RatBox_netconn.tests.yaml",
            "syncro/rmm_Syncro_createproc.yaml", "syncro/rmm_Syncro_filesig.yaml", "syncro/rmm_Syncro_netconn.yaml",
            "syncro/tests/rmm_Syncro_createproc.tests.yaml", "syncro/tests/rmm_Syncro_filesig.tests.yaml", "syncro/tests/rmm_Syncro_netconn.tests.yaml",
        ])
        let netconn = try String(contentsOfFile: into + "/syncro/rmm_Syncro_netconn.yaml", encoding: .utf8)
        #expect(netconn.contains("  | where (RemoteUrl =~ 'syncromsp.com'\n      or RemoteUrl startswith 'syncromsp.com/'\n"))
        #expect(netconn.contains("      or RemoteUrl endswith '.syncromsp.com'\n"))
        #expect(!netconn.contains("github.com"))
        #expect(netconn.contains("\nseverity: Medium\ntactics: CommandAndControl\nrelevantTechniques: T1219\n"))
        #expect(netconn.hasSuffix("x-date: 2026-05-12\n"))
        #expect(try String(contentsOfFile: into + "/ratbox/rmm_RatBox_netconn.yaml", encoding: .utf8).contains("\nseverity: High\n"))

        // What it wrote lints clean, and its tests (a true positive and a near miss per
        // indicator: `syncromsp.com.example.net` does not fire) pass.
        #expect(try CommandRunner.run(["lint", into]).stdout == "no findings in 5 files\n")
        let tests = try CommandRunner.run(["test", into])
        #expect(tests.status == 0, "\(tests.stdout)")
        #expect(tests.stdout.contains("  ✓ near miss 'syncromsp.com.example.net' for host '*.syncromsp.com' does not fire\n"))

        // A second import gives the same bytes: ids come from the tool and the rule kind.
        let before = try files.map { try String(contentsOfFile: into + "/" + $0, encoding: .utf8) }
        #expect(try CommandRunner.run(["import", "lolrmm", "Tests/Fixtures/lolrmm", "--into", into]).status == 1)
        #expect(try files.map { try String(contentsOfFile: into + "/" + $0, encoding: .utf8) } == before)
    }

    @Test func verboseListsEveryValueLeftOutAtItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["import", "lolrmm", "Tests/Fixtures/lolrmm/yaml/syncro.yaml", "--into", folder.path, "--verbose"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Tests/Fixtures/lolrmm/yaml/syncro.yaml:41:15: note: domain 'github.com' left out: over-broad (GitHub: every developer and many installers reach it)"))
        #expect(r.stderr.split(separator: "\n").count == 6)
    }

    @Test func nothingToImportIsAUsageError() throws {
        let r = try CommandRunner.run(["import", "lolrmm", "no/such/folder", "--into", "/tmp/unused"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no/such/folder:1:1: error: no LOLRMM tool files"))
    }
}

/// The SyncroMSP pack generated from LOLRMM's description of Syncro, run on the bundled pack's
/// own detection tests: it detects what the bundled pack detects, except where LOLRMM's data
/// differs, each difference pinned here with its reason.
@Suite("A generated SyncroMSP pack")
struct GeneratedSyncroTests {
    @Test func detectsWhatTheBundledPackDetectsSaveWhatTheEvidenceExplains() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-generated-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generated = folder.appendingPathComponent("generated")
        #expect(try CommandRunner.run(["import", "lolrmm", "Tests/Fixtures/lolrmm/yaml/syncro.yaml", "--into", generated.path]).status == 0)
        let tests = folder.appendingPathComponent("bundled-tests")
        try FileManager.default.createDirectory(at: tests, withIntermediateDirectories: true)
        for kind in ["createproc", "filesig", "netconn"] {
            let rule = try String(contentsOf: generated.appendingPathComponent("syncro/rmm_Syncro_\(kind).yaml"), encoding: .utf8)
            let id = try #require(rule.split(separator: "\n").first { $0.hasPrefix("id: ") }).dropFirst(4)
            let bundled = try String(contentsOf: Paths.packs.appendingPathComponent("syncromsp/tests/\(kind).tests.yaml"), encoding: .utf8)
            let retargeted = bundled.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("rule: ") ? "rule: \(id)" : String($0) }.joined(separator: "\n")
            try retargeted.write(to: tests.appendingPathComponent("\(kind).tests.yaml"), atomically: true, encoding: .utf8)
        }
        let r = try CommandRunner.run(["test", tests.path, generated.appendingPathComponent("syncro").path, "--format", "json"])
        let files = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let failed = files.filter { ($0["file"] as? String)?.hasPrefix(tests.path) == true }
            .flatMap { ($0["cases"] as? [[String: Any]]) ?? [] }.filter { $0["passed"] as? Bool == false }.compactMap { $0["name"] as? String }
        #expect(failed.sorted() == [
            // LOLRMM records no product for Syncro, so its process rule needs the company alone
            // (or a process name): broader than the bundled company-and-product test.
            "Syncro inside a longer word does not fire; a separator around it does",
            // LOLRMM's certificate for Syncro is issued to "Servably Inc."; "Servably, Inc."
            // is only its version-info company. The generated rule tests the recorded signer,
            // so a certificate with the comma form (which the bundled tests use) does not fire:
            // the difference lint --evidence reports about the original literal.
            "an installer signed by Servably fires, grouped by device",
            "both the company and the product must match",
            "case variants of the signer fire (has is case-insensitive)",
            "false positive 'System update via SyncroMSP': still fires (its filter cannot apply to this table)",
        ], "\(r.stdout.prefix(3000))")
    }
}
