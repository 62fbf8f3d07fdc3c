import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RuleTestSupport
import Testing

/// The `rulepack test` contract: ✓/✗ per case, a diff on failure, JSON and JUnit reports, exit
/// 0 (all pass), 1 (a case failed), 2 (a test file is wrong, reported at its line and column).
@Suite("rulepack test")
struct TestCommandTests {
    /// A copy of the bundled pack and its tests in a fresh folder, with `edit` applied to the
    /// filesig tests.
    func pack(_ edit: (String) -> String = { $0 }) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        let pack = Paths.root.appendingPathComponent("packs/syncromsp")
        for name in try FileManager.default.contentsOfDirectory(atPath: pack.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: pack.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        let tests = try String(contentsOf: pack.appendingPathComponent("tests/filesig.tests.yaml"), encoding: .utf8)
        try edit(tests).write(to: folder.appendingPathComponent("tests/filesig.tests.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func theBundledPacksTestsPass() throws {
        let r = try CommandRunner.run(["test", "packs/syncromsp"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("  ✓ an installer signed by Servably fires, grouped by device\n"))
        #expect(r.stdout.hasSuffix("13 cases, 0 failed, in 3 test files\n"))
        #expect(!r.stdout.contains("✗"))
    }

    static func wrong(_ text: String) -> String { text.replacingOccurrences(of: "Report: [1, 2], Count: 2", with: "Report: [1, 3], Count: 2") }

    @Test func aWrongExpectationFailsWithItsDiff() throws {
        let folder = try pack(Self.wrong)
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["test", folder.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("""
          ✗ an installer signed by Servably fires, grouped by device
              the findings differ from the expected ones (- expected, + found)
              - {DeviceId: d1, DeviceName: WS-1, FirstSeen: "2026-11-28T10:00:00.0000000Z", LastSeen: "2026-11-28T11:30:00.0000000Z", Report: [1, 3], Count: 2}
              + {DeviceId: d1, DeviceName: WS-1, FirstSeen: "2026-11-28T10:00:00.0000000Z", LastSeen: "2026-11-28T11:30:00.0000000Z", Report: [1, 2], Count: 2}
        """), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("6 cases, 1 failed, in 1 test file\n"))
    }

    @Test func junitNamesExactlyTheFailedCase() throws {
        let folder = try pack(Self.wrong)
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["test", folder.path, "--format", "junit"])
        #expect(r.status == 1)
        let document = try XMLDocument(data: Data(r.stdout.utf8))
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 6)
        let failed = try document.nodes(forXPath: "//testcase[failure]").compactMap { ($0 as? XMLElement)?.attribute(forName: "name")?.stringValue }
        #expect(failed == ["an installer signed by Servably fires, grouped by device"])
        let suite = try #require(try document.nodes(forXPath: "//testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "tests")?.stringValue == "6")
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
    }

    @Test func jsonGivesEveryCase() throws {
        let r = try CommandRunner.run(["test", "packs/syncromsp", "--format", "json"])
        #expect(r.status == 0)
        let files = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(files.count == 3)
        let cases = files.flatMap { $0["cases"] as? [[String: Any]] ?? [] }
        #expect(cases.count == 13 && cases.allSatisfy { $0["passed"] as? Bool == true })
        #expect(files.compactMap { $0["engine"] as? String } == ["sqlite", "sqlite", "sqlite"])
    }

    @Test func aTestFileErrorIsReportedAtItsPlace() throws {
        let folder = try pack { $0.replacingOccurrences(of: "rule: 3510a677-6a63-45f5-a0cd-509c5b865e0e", with: "rule: 00000000-0000-4000-8000-000000000000") }
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["test", folder.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("tests/filesig.tests.yaml:2:7: error: no rule with id 00000000-0000-4000-8000-000000000000"), "\(r.stderr)")
        let column = try pack { $0.replacingOccurrences(of: "      - {DeviceId: d2, Count: 1}", with: "      - {DeviceID: d2, Count: 1}") }
        defer { try? FileManager.default.removeItem(at: column) }
        let c = try CommandRunner.run(["test", column.path])
        #expect(c.status == 2)
        #expect(c.stderr.contains("error: the rule's findings have no column 'DeviceID' (did you mean 'DeviceId'?)"), "\(c.stderr)")
    }

    /// --update rewrites only the expect blocks of the failing cases; the file then passes.
    @Test func updateRewritesOnlyTheFailingExpectations() throws {
        let folder = try pack { Self.wrong($0).replacingOccurrences(of: "      - {DeviceId: d3, Count: 1}", with: "      - {DeviceId: d9, Count: 1}") }
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tests/filesig.tests.yaml")
        let before = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let r = try CommandRunner.run(["test", folder.path, "--update"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("filesig.tests.yaml: updated the expectation of 'an installer signed by Servably fires, grouped by device'"))
        #expect(r.stderr.contains("updated the expectation of 'case variants of the signer fire (has is case-insensitive)'"))
        let after = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
        #expect(changed == [11, 19, 20], "\(changed)")
        #expect(before.count == after.count)
        #expect(after[10] == "      - {DeviceId: d1, DeviceName: WS-1, FirstSeen: '2026-11-28T10:00:00.0000000Z', LastSeen: '2026-11-28T11:30:00.0000000Z', Report: [1, 2], Count: 2}")
        #expect(try CommandRunner.run(["test", folder.path]).status == 0)
    }

    @Test func otherCommandsSkipTestFiles() throws {
        let r = try CommandRunner.run(["lint", "packs/syncromsp"])
        #expect(!r.stdout.contains("tests.yaml"))
        let c = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "kql"])
        #expect(c.status == 0 && !c.stderr.contains("tests.yaml"))
    }
}
