import RuleModel

/// A `kind` is Scheduled or NRT.
struct KindCheck: LintCheck {
    let info = CheckInfo(
        id: "kind", severity: .error,
        summary: "kind is Scheduled or NRT (a file without kind is a hunting query).",
        triggering: [[Example.rule(replacing: ["kind:": "kind: Realtime"])]],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["kind:": "kind: scheduled"])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule, case .other(let value) = rule.metadata.kind else { return [] }
        return [info.finding(file, at: rule.metadata.positions[.value(.kind)], "kind '\(value)' is neither Scheduled nor NRT")]
    }
}
