import Foundation
import RuleTestSupport
import Testing

/// A pack generated from a LOLRMM-shaped repository (`generate: lolrmm`): synced at an older
/// commit, then `--update`, with the change report in tools and rules, stable ids, the lock
/// and `--frozen`.
@Suite("Generated packs")
struct GeneratedPackTests {
    static let tools = Paths.fixtures.appendingPathComponent("lolrmm/yaml")

    func fixture() throws -> GitFixture {
        let f = try GitFixture()
        try f.write("yaml/syncro.yaml", try String(contentsOf: Self.tools.appendingPathComponent("syncro.yaml"), encoding: .utf8))
        try f.write("README.md", "LOLRMM-shaped\n")
        try f.commit("syncro")
        // The project syncs from a bare copy with history, as from a mirror of LOLRMM.
        try f.git("clone", "-q", "--bare", f.upstream.path, f.folder.appendingPathComponent("lolrmm.git").path)
        // The project's templates, as a user's project has them.
        try FileManager.default.copyItem(at: Paths.root.appendingPathComponent("templates"), to: f.project.appendingPathComponent("templates"))
        try "packs:\n  - name: lolrmm\n    source: ../lolrmm.git\n    generate: lolrmm\n    into: packs/rmm\n".write(to: f.project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
        return f
    }

    func ruleIDs(_ f: GitFixture) throws -> [String: String] {
        var ids: [String: String] = [:]
        for path in f.packFiles where !path.contains("/tests/") {
            ids[path] = try f.packText(path).split(separator: "\n").first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
        }
        return ids
    }

    @Test func syncGeneratesRulesAndReportsToolsAndRules() throws {
        let f = try fixture()
        let first = try f.sync()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("lolrmm: main at "))
        #expect(first.stdout.contains(", 7 files: rules 3 added, 0 removed, 0 modified\n  tools: 1 added, 0 removed, 0 modified\n  + tool syncro\n"), "\(first.stdout)")
        // The rules, their tests, and the tool file they came from (hidden: evidence for lint).
        #expect(f.packFiles == [
            ".source/yaml/syncro.yaml",
            "syncro/rmm_Syncro_createproc.yaml", "syncro/rmm_Syncro_filesig.yaml", "syncro/rmm_Syncro_netconn.yaml",
            "syncro/tests/rmm_Syncro_createproc.tests.yaml", "syncro/tests/rmm_Syncro_filesig.tests.yaml", "syncro/tests/rmm_Syncro_netconn.tests.yaml",
        ])
        let ids = try ruleIDs(f)
        let firstLock = f.lock
        #expect(firstLock.contains("files: 7"))

        // Lint finds the evidence in the synced pack: a rule with the comma form of Syncro's
        // signer contradicts the certificate LOLRMM recorded.
        let extra = f.project.appendingPathComponent("packs/rmm/zz-local/filesig.yaml")
        try FileManager.default.createDirectory(at: extra.deletingLastPathComponent(), withIntermediateDirectories: true)
        try String(contentsOf: Paths.packRule("rmm_SyncroMSP_filesig"), encoding: .utf8)
            .replacingOccurrences(of: "Signer has_any ('Servably Inc.', 'Servably, Inc.')", with: "Signer has 'Servably, Inc.'")
            .write(to: extra, atomically: true, encoding: .utf8)
        let lint = try CommandRunner.run(["lint", "packs/rmm"], in: f.project)
        #expect(lint.stdout.contains("packs/rmm/zz-local/filesig.yaml:18:11: warning: Signer has 'Servably, Inc.' cannot match any signer the catalogue recorded for Syncro: 'Servably Inc.' (syncro.yaml:46:24)"), "\(lint.stdout)")
        try FileManager.default.removeItem(at: extra.deletingLastPathComponent())

        // Upstream adds a tool and changes Syncro's domains.
        try f.write("yaml/ratbox.yaml", try String(contentsOf: Self.tools.appendingPathComponent("ratbox.yaml"), encoding: .utf8))
        let syncro = try String(contentsOf: Self.tools.appendingPathComponent("syncro.yaml"), encoding: .utf8)
        try f.write("yaml/syncro.yaml", syncro.replacingOccurrences(of: "            - servably.com\n", with: ""))
        let second = try f.commit("ratbox, and servably.com removed")
        try f.git("push", "-q", f.folder.appendingPathComponent("lolrmm.git").path, "main")
        // Without --update the pack stays at its locked commit.
        #expect(try f.sync().stdout.contains("up to date"))
        let update = try f.sync("--update")
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains("lolrmm: main at \(second.prefix(12)), 12 files (was "), "\(update.stdout)")
        #expect(update.stdout.contains(": rules 2 added, 0 removed, 1 modified\n  tools: 1 added, 0 removed, 1 modified\n  + tool ratbox\n  ~ tool syncro\n"), "\(update.stdout)")
        #expect(update.stdout.contains("  ~ \(ids["syncro/rmm_Syncro_netconn.yaml"] ?? "?")  syncro/rmm_Syncro_netconn.yaml"))
        // The same tool keeps its rule ids.
        let after = try ruleIDs(f)
        for (path, id) in ids { #expect(after[path] == id, "\(path)") }
        #expect(f.lock.contains("commit: \(second)"))
        #expect(f.lock != firstLock)

        // --frozen syncs exactly the locked commit: nothing to do.
        let frozen = try f.sync("--frozen")
        #expect(frozen.status == 0)
        #expect(frozen.stdout.contains("up to date"))
        // A changed file on disk is put back by the next sync.
        try "changed\n".write(to: f.project.appendingPathComponent("packs/rmm/syncro/rmm_Syncro_filesig.yaml"), atomically: true, encoding: .utf8)
        #expect(try f.sync("--frozen").status == 0)
        #expect(try f.packText("syncro/rmm_Syncro_filesig.yaml").hasPrefix("id: \(ids["syncro/rmm_Syncro_filesig.yaml"] ?? "?")"))
    }

    @Test func generateNeedsAKnownFormatAndTheTemplates() throws {
        let f = try fixture()
        try "packs:\n  - name: lolrmm\n    source: ../upstream\n    generate: sigma\n".write(to: f.project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
        let unknown = try f.sync()
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("rulepack.yaml:4:15: error: 'generate' names the catalogue format the source holds: lolrmm"), "\(unknown.stderr)")
        try FileManager.default.removeItem(at: f.project.appendingPathComponent("templates"))
        try "packs:\n  - name: lolrmm\n    source: ../upstream\n    generate: lolrmm\n".write(to: f.project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
        let noTemplates = try f.sync()
        #expect(noTemplates.status == 1)
        #expect(noTemplates.stderr.contains("generate: lolrmm needs the templates folder templates beside the manifest"), "\(noTemplates.stderr)")
        #expect(f.packFiles.isEmpty)
    }
}
