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
    static let date = "2026-11-29"

    static func output(_ rule: Rule, target name: String) throws -> (text: String, suffix: String) {
        let target = try #require(OutputTarget.all.first { $0.name == name })
        return (try target.write(rule, TargetOptions(date: date)).text, target.goldenSuffix)
    }

    @Test("golden", arguments: rules, targets)
    func golden(rule name: String, target: String) throws {
        let rule = try readRule(Paths.packRule(name))
        let (actual, suffix) = try Self.output(rule, target: target)
        let mismatch = try goldenMismatch(actual, file: "\(name).\(suffix)")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// The bundled pack's rules are hunting queries; these fixtures are Scheduled analytic rules,
    /// the other shape of the deployment targets.
    @Test("golden deployment of a scheduled rule", arguments: ["aggregates", "exclusions"], ["sentinel-arm", "defender-xdr", "kql"])
    func scheduledDeployment(fixture: String, target: String) throws {
        let rule = try readRule(Paths.fixtures.appendingPathComponent("rules/valid/\(fixture).yaml"))
        var options = TargetOptions(date: Self.date)
        options.platform = target == "kql" ? .sentinel : .defender
        let translated = try #require(OutputTarget.all.first { $0.name == target }).write(rule, options)
        let mismatch = try goldenMismatch(translated.text, file: "fixture-\(fixture).\(target == "kql" ? "sentinel.kql" : target + ".json")")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("golden ARM bundle of the pack")
    func armBundle() throws {
        let target = try #require(OutputTarget.all.first { $0.name == "sentinel-arm" })
        let translations = try Self.rules.sorted().map { try target.write(try readRule(Paths.packRule($0)), TargetOptions()) }
        let bundle = try #require(target.bundle)
        let mismatch = try goldenMismatch(try bundle(translations), file: "syncromsp.sentinel-arm-bundle.json")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test("golden pySigma pipeline")
    func sigmaPipeline() throws {
        let target = try #require(OutputTarget.all.first { $0.name == "sigma" })
        let pipeline = try #require(target.companionFiles.first)
        #expect(pipeline.name == "rulepack-pipeline.yaml")
        let mismatch = try goldenMismatch(pipeline.text, file: pipeline.name)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
