import Foundation
import RuleModel

/// Every local override in `rulepack.yaml` still selects a rule of its pack. An upstream sync
/// may remove or rename a rule; its override then tunes nothing, silently. Checked for packs
/// whose whole folder is linted, and reported at the override in the manifest.
struct StaleOverridesCheck: LintCheck {
    let info = CheckInfo(
        id: "stale-overrides", severity: .warning,
        summary: "Each override in rulepack.yaml selects a rule of its pack (one removed or renamed upstream leaves it tuning nothing).",
        triggering: [[Example.analytic]],
        nonTriggering: [[Example.rule(replacing: ["id:": "id: 00000000-0000-4000-8000-00000000dead"])]],
        exampleContext: LintContext(overrides: OverrideSet(packs: [OverrideSet.Pack(
            name: "example", folder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path,
            overrides: [RuleOverride(selector: .id("00000000-0000-4000-8000-00000000dead"), file: "rulepack.yaml", position: SourcePosition(line: 4, column: 7))]
        )]))
    )

    func findings(across files: [LintFile], context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        for pack in context.overrides.packs {
            let rules = files.filter { context.overrides.pack(holding: $0.path)?.folder == pack.folder }.compactMap(\.anyRule)
            guard !rules.isEmpty else { continue }
            for override in pack.overrides where !rules.contains(where: override.selects) {
                findings.append(Finding(
                    file: override.file, position: override.position, severity: info.severity, check: info.id,
                    message: "the override for \(override.selectorText) selects no rule of pack '\(pack.name)': it tunes nothing (was the rule removed or renamed upstream?)"
                ))
            }
        }
        return findings
    }
}
