import Foundation
import RuleTestSupport
import Testing

@Suite("rulepack new (command)")
struct NewCommandTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-new-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func overBroadIndicatorsAreLeftOutUnlessKeptOnPurpose() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let left = try CommandRunner.run(["new", "Foo", "--domain", "github.com", "--domain", "relay.foo-rmm.net", "--process", "setup.exe", "--into", out.appendingPathComponent("left").path])
        #expect(left.status == 0, "\(left.stderr)")
        #expect(left.stderr.contains("note: left out --domain 'github.com': it is over-broad (GitHub: every developer and many installers reach it); keep it with --keep-indicator 'github.com'"))
        #expect(left.stderr.contains("note: left out --process 'setup.exe': it is over-broad (the default name of countless installers)"))
        // Only the network rule has an indicator left.
        let rule = try String(contentsOf: out.appendingPathComponent("left/rmm_Foo_netconn.yaml"), encoding: .utf8)
        #expect(rule.contains("| where RemoteUrl has 'relay.foo-rmm.net'\n"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("left/rmm_Foo_createproc.yaml").path))

        let kept = try CommandRunner.run(["new", "Foo", "--domain", "github.com", "--keep-indicator", "github.com", "--into", out.appendingPathComponent("kept").path])
        #expect(kept.status == 0, "\(kept.stderr)")
        let keptRule = try String(contentsOf: out.appendingPathComponent("kept/rmm_Foo_netconn.yaml"), encoding: .utf8)
        #expect(keptRule.contains("| where RemoteUrl has 'github.com'\n"))
        #expect(keptRule.hasSuffix("x-keepIndicators:\n  - github.com\n"))
        #expect(try CommandRunner.run(["lint", out.appendingPathComponent("kept").path]).stdout == "no findings in 1 file\n")

        let none = try CommandRunner.run(["new", "Foo", "--domain", "github.com", "--into", out.appendingPathComponent("none").path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("error: no indicators"))
    }

    @Test func writesOneRulePerKindAndNeverOverwritesWithoutForce() throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["new", "Zoho Assist", "--signer", "Zoho Corporation Private Limited", "--domain", "assist.zoho.com", "--into", out.path]
        let first = try CommandRunner.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["rmm_ZohoAssist_filesig.yaml", "rmm_ZohoAssist_netconn.yaml", "tests"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("tests").path).sorted() == [
            "rmm_ZohoAssist_filesig.tests.yaml", "rmm_ZohoAssist_netconn.tests.yaml",
        ])
        // The tests it wrote pass: a true positive and a near miss per indicator.
        let tested = try CommandRunner.run(["test", out.path])
        #expect(tested.status == 0, "\(tested.stdout)")
        #expect(tested.stdout.hasSuffix("4 cases, 0 failed, in 2 test files\n"))
        #expect(tested.stdout.contains("  ✓ near miss 'xassist.zoho.com' for domain 'assist.zoho.com' does not fire\n"))
        let before = try String(contentsOf: out.appendingPathComponent(names[0]), encoding: .utf8)

        let again = try CommandRunner.run(args)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exist; nothing written (use --force to overwrite)"))
        #expect(try String(contentsOf: out.appendingPathComponent(names[0]), encoding: .utf8) == before)

        #expect(try CommandRunner.run(args + ["--force"]).status == 0)
        #expect(try String(contentsOf: out.appendingPathComponent(names[0]), encoding: .utf8) != before)  // a fresh id
        // What it wrote lints clean.
        #expect(try CommandRunner.run(["lint", out.path]).stdout == "no findings in 2 files\n")
    }

    @Test("bad input: an error, and nothing written", arguments: [
        ["new", "", "--signer", "S"], ["new", "X", "--domain", "a'b.com"], ["new", "X"],
    ])
    func badInput(arguments: [String]) throws {
        let out = try folder()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CommandRunner.run(arguments + ["--into", out.appendingPathComponent("pack").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: "))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("pack").path))
    }

    @Test func aTeamsOwnTemplates() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Paths.root.appendingPathComponent("templates"), to: templates)
        let filesig = templates.appendingPathComponent("filesig.yaml.mustache")
        try (try String(contentsOf: filesig, encoding: .utf8)).replacingOccurrences(of: "{{! File signature:", with: "{{! Team file signature:")
            .replacingOccurrences(of: "relevantTechniques: {{{technique}}}", with: "relevantTechniques: {{{technique}}}\nversion: 2.0.0")
            .write(to: filesig, atomically: true, encoding: .utf8)
        let list = try CommandRunner.run(["new", "--list-templates", "--template", templates.path])
        #expect(list.stdout.contains("filesig     Team file signature:"))
        let r = try CommandRunner.run(["new", "Team Tool", "--signer", "Team, Inc.", "--template", templates.path, "--into", dir.appendingPathComponent("out").path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: dir.appendingPathComponent("out/rmm_TeamTool_filesig.yaml"), encoding: .utf8).contains("version: 2.0.0"))
    }
}
