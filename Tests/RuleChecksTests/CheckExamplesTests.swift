import RuleChecks
import RuleModel
import Testing

/// Every check against its own examples: each triggering example gives at least one finding
/// of that check, each non-triggering example none. Adding a check adds its tests.
@Suite("Check examples")
struct CheckExamplesTests {
    /// Every check, the opt-in ones too (each example runs with every check on).
    static let ids = (Checks.all + Checks.optIn).map(\.info.id)

    /// An example text that starts with `rule:` is a detection test file (`*.tests.yaml`).
    func lint(_ texts: [String], checks: [any LintCheck] = Checks.all + Checks.optIn, context: LintContext? = nil) -> [Finding] {
        let files = texts.enumerated().map { index, text in
            LintFile(path: "example-\(index)" + (text.hasPrefix("rule:") ? ".tests.yaml" : ".yaml"), text: text)
        }
        return Linter(checks: checks, context: context ?? LintContext()).lint(files)
    }

    @Test("triggering examples trigger", arguments: ids)
    func triggering(id: String) throws {
        let check = try #require(Checks.named(id))
        #expect(!check.info.triggering.isEmpty, "\(id) has no triggering example")
        for example in check.info.triggering {
            let findings = lint(example, context: check.info.exampleContext).filter { $0.check == id }
            #expect(!findings.isEmpty, "\(id) did not trigger on:\n\(example.joined(separator: "\n---\n"))")
            #expect(findings.allSatisfy { $0.severity == check.info.severity || $0.severity == .warning })
        }
    }

    @Test("non-triggering examples do not", arguments: ids)
    func nonTriggering(id: String) throws {
        let check = try #require(Checks.named(id))
        #expect(!check.info.nonTriggering.isEmpty, "\(id) has no non-triggering example")
        for example in check.info.nonTriggering {
            let findings = lint(example, context: check.info.exampleContext).filter { $0.check == id }
            #expect(findings.isEmpty, "\(id) triggered: \(findings.map(\.message))")
        }
    }

    @Test func cleanRulesHaveNoFindingsAtAll() {
        #expect(lint([Example.analytic], checks: Checks.all).isEmpty)
        #expect(lint([Example.hunting], checks: Checks.all).isEmpty)
        #expect(lint([Example.analytic, Example.hunting], checks: Checks.all).isEmpty)
    }

    @Test func everyFindingHasALineAndColumn() {
        let everything = (Checks.all + Checks.optIn).flatMap { check in check.info.triggering.flatMap { lint($0, context: check.info.exampleContext) } }
        #expect(!everything.isEmpty)
        #expect(everything.allSatisfy { $0.line >= 1 && $0.column >= 1 })
    }

    @Test func idsAreStableKebabCase() {
        for id in Self.ids {
            #expect(id.allSatisfy { $0.isLowercase || $0 == "-" }, "\(id)")
        }
        #expect(Set(Self.ids).count == Self.ids.count)
    }

    @Test("tactic near misses name the spelling", arguments: ["Command and Control", "command-and-control", "TA0011", "CommandandControl", "commandandcontrol"])
    func tacticNearMiss(spelling: String) {
        let text = Example.rule(replacing: ["  - CommandAndControl": "  - \(spelling)"])
        let findings = lint([text]).filter { $0.check == "tactics" }
        #expect(findings.count == 1)
        #expect(findings.first?.message.hasSuffix("write 'CommandAndControl'") == true)
        #expect(findings.first?.fix?.edits == [TextEdit(line: 15, column: 5, length: spelling.unicodeScalars.count, replacement: "CommandAndControl")])
    }

    @Test func revokedTechniqueNamesItsReplacement() {
        let text = Example.rule(replacing: ["  - T1219": "  - T1086", "  - CommandAndControl": "  - Execution"])
        let finding = lint([text]).first { $0.check == "techniques" }
        #expect(finding?.severity == .warning)
        #expect(finding?.message == "technique T1086 (PowerShell) was revoked in ATT&CK by T1059.001 (PowerShell)")
    }

    @Test func techniqueTacticsNameTheTacticsItBelongsTo() {
        let text = Example.rule(replacing: ["  - CommandAndControl": "  - Execution"])
        let finding = lint([text]).first { $0.check == "technique-tactics" }
        #expect(finding?.message == "technique T1219 (Remote Access Tools) belongs to CommandAndControl, none of which the rule lists in tactics")
    }

    @Test func theSeedsFirstFilterIsAlwaysTrue() {
        let filter: FilterExpression = .or([
            .comparison(field: "process.name", negated: true, value: "setup.exe", position: SourcePosition(line: 1, column: 1)),
            .comparison(field: "process.name", negated: true, value: "msiexec.exe", position: SourcePosition(line: 1, column: 1)),
            .comparison(field: "file.hash", negated: true, value: "known_update_hash", position: SourcePosition(line: 1, column: 1)),
        ])
        #expect(FalsePositiveLogicConstant.of(filter) == true)
    }
}
