import RuleModel

/// Analytic rules have a severity, and it is one Sentinel knows.
struct SeverityCheck: LintCheck {
    static let values = ["Informational", "Low", "Medium", "High"]

    let info = CheckInfo(
        id: "severity", severity: .error,
        summary: "Analytic rules have a severity: Informational, Low, Medium or High.",
        triggering: [[Example.rule(replacing: ["severity:": nil])], [Example.rule(replacing: ["severity:": "severity: Critical"])]],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["severity:": "severity: Informational"])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        guard let severity = rule.metadata.severity else {
            if rule.metadata.kind == .huntingQuery { return [] }
            return [info.finding(file, at: rule.metadata.positions[.key(.kind)], "an analytic rule needs a severity (\(Self.values.joined(separator: ", ")))")]
        }
        guard Self.values.contains(severity) else {
            let hint = Self.values.first { $0.lowercased() == severity.lowercased() }.map { " (write '\($0)')" } ?? ""
            return [info.finding(file, at: rule.metadata.positions[.value(.severity)], "severity '\(severity)' is not one of \(Self.values.joined(separator: ", "))\(hint)")]
        }
        return []
    }
}
