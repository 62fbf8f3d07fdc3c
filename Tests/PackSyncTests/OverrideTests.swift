import Foundation
import RuleTestSupport
import Testing

/// Local overrides in rulepack.yaml: applied whenever rules are read, never written into the
/// synced files, so they survive `sync --update`; stale ones reported by lint; broken ones
/// stop everything at their line and column.
@Suite("Local overrides")
struct OverrideTests {
    static let alpha = "aaaaaaaa-0000-4000-8000-000000000001"
    static let beta = "bbbbbbbb-0000-4000-8000-000000000002"

    func fixture(overrides: String) throws -> GitFixture {
        let f = try GitFixture()
        try f.write("RMM/A/a.yaml", GitFixture.rule(id: Self.alpha, name: "Remote Management and Monitoring tool - Alpha - Create Process"))
        try f.write("RMM/B/b.yaml", GitFixture.rule(id: Self.beta, name: "Remote Management and Monitoring tool - Beta - Create Process"))
        try f.commit("first")
        try f.manifest(extra: "    overrides:\n" + overrides)
        return f
    }

    func convert(_ f: GitFixture) throws -> (CommandRunner.Result, [String: String]) {
        let out = f.folder.appendingPathComponent("out-\(UUID().uuidString)")
        let r = try CommandRunner.run(["convert", "packs/rmm", "--to", "kql", "--out", out.path], in: f.project)
        var files: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] {
            files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        return (r, files)
    }

    @Test func overridesApplyWhenReadAndSurviveAnUpdate() throws {
        let f = try fixture(overrides: """
              - rule: \(Self.alpha)
                disable: true
              - rule: "* - Beta - *"
                severity: High
                add-exclusion:
                  scenario: Admin hosts
                  filter: host.name == "ADMIN-01"

        """)
        #expect(try f.sync().status == 0)
        let upstreamBeta = GitFixture.rule(id: Self.beta, name: "Remote Management and Monitoring tool - Beta - Create Process")
        #expect(try f.packText("RMM/B/b.yaml") == upstreamBeta)

        let (r, files) = try convert(f)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("packs/rmm/RMM/A/a.yaml:1:1: note: turned off by the local override at rulepack.yaml:8:9 (id \(Self.alpha)); not translated"))
        #expect(files.keys.sorted() == ["\(Self.beta).kql"])
        let beta = files["\(Self.beta).kql"] ?? ""
        #expect(beta.contains("// local override: severity High (rulepack.yaml:10:9)\n// local override: exclusion 'Admin hosts' (rulepack.yaml:10:9)\n"))
        #expect(beta.contains("// false positive: Admin hosts\n| where not(DeviceName =~ 'ADMIN-01')"))

        // Upstream changes the rule; the synced file is upstream's, and the tuning still applies.
        let changed = upstreamBeta.replacingOccurrences(of: "x.exe", with: "y.exe")
        try f.write("RMM/B/b.yaml", changed)
        try f.commit("change beta")
        #expect(try f.sync("--update").status == 0)
        #expect(try f.packText("RMM/B/b.yaml") == changed)
        let (_, after) = try convert(f)
        #expect(after["\(Self.beta).kql"]?.contains("'y.exe'") == true)
        #expect(after["\(Self.beta).kql"]?.contains("// local override: severity High (rulepack.yaml:10:9)") == true)
    }

    @Test func anOverrideForARuleRemovedUpstreamIsReportedByLint() throws {
        let f = try fixture(overrides: "      - rule: \(Self.alpha)\n        severity: Low\n")
        #expect(try f.sync().status == 0)
        let clean = try CommandRunner.run(["lint", "packs/rmm"], in: f.project)
        #expect(!clean.stdout.contains("stale-overrides"), "\(clean.stdout)")
        try f.remove("RMM/A/a.yaml")
        try f.commit("remove alpha")
        #expect(try f.sync("--update").status == 0)
        let stale = try CommandRunner.run(["lint", "packs/rmm"], in: f.project)
        #expect(stale.stdout.contains("rulepack.yaml:8:9: warning: the override for id \(Self.alpha) selects no rule of pack 'rmm': it tunes nothing (was the rule removed or renamed upstream?) [stale-overrides]"), "\(stale.stdout)")
    }

    @Test func sanctionedToolsTurnTheirRulesOff() throws {
        let f = try fixture(overrides: "      - rule: \"*\"\n        sanctioned-tools: [alpha]\n")
        #expect(try f.sync().status == 0)
        let (r, files) = try convert(f)
        #expect(r.status == 0)
        #expect(files.keys.sorted() == ["\(Self.beta).kql"])
        let coverage = try CommandRunner.run(["coverage", "packs/rmm", "--format", "json"], in: f.project)
        #expect(!coverage.stdout.contains("Alpha"))
    }

    @Test("a broken override stops sync at its line and column, with nothing synced", arguments: [
        ("      - rule: \"*\"\n        add-exclusion:\n          scenario: X\n          filter: host.name = \"a\"\n", "rulepack.yaml:11:29: error: false-positive filter:"),
        ("      - rule: \"*\"\n        severity: Critical\n", "rulepack.yaml:9:19: error: 'severity' is one of Informational, Low, Medium, High"),
        ("      - rule: \"*\"\n        severty: High\n", "rulepack.yaml:9:9: error: unknown override key 'severty' (did you mean 'severity'?)"),
        ("      - rule: \"*\"\n", "rulepack.yaml:8:9: error: the override changes nothing"),
    ])
    func broken(overrides: String, message: String) throws {
        let f = try fixture(overrides: overrides)
        let r = try f.sync()
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(f.packFiles.isEmpty)
        #expect(f.lock.isEmpty)
        // Every command that reads the pack's rules stops too, rather than ignore the tuning.
        try FileManager.default.createDirectory(at: f.project.appendingPathComponent("packs/rmm"), withIntermediateDirectories: true)
        try GitFixture.rule(id: Self.alpha).write(to: f.project.appendingPathComponent("packs/rmm/a.yaml"), atomically: true, encoding: .utf8)
        let convert = try CommandRunner.run(["convert", "packs/rmm", "--to", "kql"], in: f.project)
        #expect(convert.status == 2)
        #expect(convert.stderr.contains(message), "\(convert.stderr)")
    }
}
