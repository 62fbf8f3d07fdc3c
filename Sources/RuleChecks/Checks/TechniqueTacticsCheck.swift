import RuleModel

/// Each technique belongs to at least one of the rule's tactics (as Sentinel's CI requires).
struct TechniqueTacticsCheck: LintCheck {
    let info = CheckInfo(
        id: "technique-tactics", severity: .warning,
        summary: "Each technique belongs, in ATT&CK, to at least one of the rule's tactics.",
        triggering: [[Example.rule(replacing: ["  - CommandAndControl": "  - Execution"])]],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["  - T1219": "  - T1059.001", "  - CommandAndControl": "  - Execution"])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        // A misspelt tactic is the tactics check's finding; here it counts as what it means.
        let ruleTactics = Set(rule.metadata.tactics.compactMap { (SentinelTactic.named($0) ?? TacticsCheck.correction(for: $0))?.shortName })
        var findings: [Finding] = []
        for (index, id) in rule.metadata.techniques.enumerated() {
            guard let technique = context.attack.technique(id), technique.revoked != true, !technique.tactics.isEmpty,
                  ruleTactics.isDisjoint(with: technique.tactics) else { continue }
            let names = technique.tactics.compactMap { short in SentinelTactic.all.first { $0.shortName == short }?.name }
            findings.append(info.finding(
                file, at: rule.metadata.positions[.item(.relevantTechniques, index)],
                "technique \(id) (\(technique.name)) belongs to \(names.joined(separator: ", ")), none of which the rule lists in tactics"
            ))
        }
        return findings
    }
}
