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
    /// Every SQL dialect gets its goldens: a new dialect fails here until its files exist.
    static let targets = ["kql"] + SQLDialect.Name.allCases.map { "\($0.rawValue).sql" } + ["sigma.yml"]
    /// Sigma's `date` is fixed so the golden file does not change daily.
    static let sigmaDate = DateComponents(calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"), year: 2026, month: 11, day: 29).date ?? Date()

    static func output(_ rule: Rule, target: String) throws -> String {
        if target == "kql" { return KQLWriter().write(rule).text }
        if target.hasSuffix(".sql"), let dialect = SQLDialect.Name(rawValue: String(target.dropLast(4))) {
            return try SQLWriter(dialect: .named(dialect)).write(rule).text
        }
        return try SigmaWriter(date: sigmaDate).write(rule).text
    }

    @Test("golden", arguments: rules, targets)
    func golden(rule name: String, target: String) throws {
        let rule = try readRule(Paths.packRule(name))
        let actual = try Self.output(rule, target: target)
        let file = Paths.golden.appendingPathComponent("\(name).\(target)")
        if ProcessInfo.processInfo.environment["RULEPACK_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Paths.golden, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "\(file.lastPathComponent) differs; rerun with RULEPACK_UPDATE_GOLDEN=1 and review the diff")
    }
}
