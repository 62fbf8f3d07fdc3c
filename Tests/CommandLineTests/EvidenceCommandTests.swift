import Foundation
import RuleTestSupport
import Testing

/// `lint --evidence`: a rule's signer and company literals against what LOLRMM recorded for
/// the same tool. It pins the bundled pack's fix: SyncroMSP's certificate is issued to
/// "Servably Inc." (no comma), which the original `Signer has 'Servably, Inc.'` never matches.
@Suite("lint --evidence")
struct EvidenceCommandTests {
    static let evidence = "Tests/Fixtures/lolrmm/yaml"

    @Test func theBundledPackAgreesWithTheEvidence() throws {
        let r = try CommandRunner.run(["lint", "packs/syncromsp", "--evidence", Self.evidence])
        // The seed's filter defects are the only findings; broken.yaml is reported and not used.
        #expect(r.stdout.hasSuffix("12 errors, 0 warnings in 1 of 3 files\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("[evidence]"), "\(r.stdout)")
        #expect(r.stderr.contains("Tests/Fixtures/lolrmm/yaml/broken.yaml:5:1: warning: not used as evidence: invalid YAML"))
    }

    @Test func theOriginalSignerLiteralContradictsIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-evidence-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try String(contentsOf: Paths.packRule("rmm_SyncroMSP_filesig"), encoding: .utf8)
            .replacingOccurrences(of: "Signer has_any ('Servably Inc.', 'Servably, Inc.')", with: "Signer has 'Servably, Inc.'")
        try original.write(to: folder.appendingPathComponent("filesig.yaml"), atomically: true, encoding: .utf8)
        // A tool LOLRMM records no signer for is a mere absence of evidence: not reported.
        try original.replacingOccurrences(of: "SyncroMSP - File Signature", with: "Nothing Remote - File Signature")
            .replacingOccurrences(of: "3510a677", with: "4510a677")
            .write(to: folder.appendingPathComponent("absent.yaml"), atomically: true, encoding: .utf8)
        let r = try CommandRunner.run(["lint", folder.path, "--evidence", Self.evidence])
        let findings = r.stdout.split(separator: "\n").filter { $0.hasSuffix("[evidence]") }
        #expect(findings == ["\(folder.path)/filesig.yaml:18:11: warning: Signer has 'Servably, Inc.' cannot match any signer the catalogue recorded for Syncro: 'Servably Inc.' (syncro.yaml:46:24); where Signer holds that value, this test never fires [evidence]"], "\(r.stdout)")
        // Without evidence, nothing to compare with.
        #expect(!(try CommandRunner.run(["lint", folder.path]).stdout.contains("[evidence]")))
    }

    @Test func evidenceThatIsNotThereIsAUsageError() throws {
        let r = try CommandRunner.run(["lint", "packs/syncromsp", "--evidence", "no/such/lolrmm"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no/such/lolrmm:1:1: error: no LOLRMM tool files"))
    }
}
