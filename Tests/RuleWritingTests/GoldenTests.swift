import Foundation
import RuleModel
import RuleTestSupport
import RuleWriting
import Testing

/// The three SyncroMSP rules in every target, compared with the files in Tests/Golden.
/// `RULEPACK_UPDATE_GOLDEN=1 swift test` rewrites them; review the diff before committing.
@Suite("Golden outputs")
struct GoldenTests {
    static let rules = ["rmm_SyncroMSP_filesig", "rmm_SyncroMSP_createproc", "rmm_SyncroMSP_netconn"]
    /// Every target of the registry gets its goldens: a new one fails here until its files exist.
    static let targets = OutputTarget.all.map(\.name)
    /// Outputs that carry a date (Sigma's `date`) get a fixed one, so the goldens do not change daily.
    static let date = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2026, month: 11, day: 29).date ?? Date()

    static func output(_ rule: Rule, target name: String) throws -> (text: String, suffix: String) {
        let target = try #require(OutputTarget.all.first { $0.name == name })
        return (try target.write(rule, TargetOptions(date: date)).text, target.goldenSuffix)
    }

    @Test("golden", arguments: rules, targets)
    func golden(rule name: String, target: String) throws {
        let rule = try readRule(Paths.packRule(name))
        let (actual, suffix) = try Self.output(rule, target: target)
        let file = Paths.golden.appendingPathComponent("\(name).\(suffix)")
        if ProcessInfo.processInfo.environment["RULEPACK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Paths.golden, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(file.lastPathComponent) differs; rerun with RULEPACK_UPDATE_GOLDEN=1 and review the diff")
    }
}
