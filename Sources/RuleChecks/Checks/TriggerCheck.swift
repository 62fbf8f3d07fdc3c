import RuleModel

/// Scheduled rules say when they alert: triggerOperator and triggerThreshold.
struct TriggerCheck: LintCheck {
    static let operators = ["GreaterThan", "LessThan", "Equal", "NotEqual", "gt", "lt", "eq", "ne"]

    let info = CheckInfo(
        id: "trigger", severity: .error,
        summary: "Scheduled rules have triggerOperator (GreaterThan, LessThan, Equal, NotEqual, gt, lt, eq, ne) and triggerThreshold 0..10000.",
        triggering: [
            [Example.rule(replacing: ["triggerOperator:": "triggerOperator: greater"])],
            [Example.rule(replacing: ["triggerThreshold:": "triggerThreshold: 20000"])],
            [Example.rule(replacing: ["triggerOperator:": nil])],
        ],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["triggerOperator:": "triggerOperator: GreaterThan", "triggerThreshold:": "triggerThreshold: 10000"])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule, rule.metadata.kind == .scheduled else { return [] }
        let m = rule.metadata
        var findings: [Finding] = []
        if let op = m.triggerOperator {
            if !Self.operators.contains(op) {
                findings.append(info.finding(file, at: m.positions[.value(.triggerOperator)], "triggerOperator '\(op)' is not one of \(Self.operators.joined(separator: ", ")) (case-sensitive)"))
            }
        } else {
            findings.append(info.finding(file, at: m.positions[.key(.kind)], "a Scheduled rule needs triggerOperator"))
        }
        if let threshold = m.triggerThreshold {
            if !(0...10_000).contains(threshold) {
                findings.append(info.finding(file, at: m.positions[.value(.triggerThreshold)], "triggerThreshold \(threshold) is outside 0..10000"))
            }
        } else if m.positions[.key(.triggerThreshold)] == nil {
            findings.append(info.finding(file, at: m.positions[.key(.kind)], "a Scheduled rule needs triggerThreshold"))
        }
        return findings
    }
}
