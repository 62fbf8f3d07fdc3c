/// The name is present and at most 256 characters.
struct NameCheck: LintCheck {
    let info = CheckInfo(
        id: "name", severity: .error,
        summary: "The name is present and at most 256 characters.",
        triggering: [[Example.rule(replacing: ["name:": nil])], [Example.rule(replacing: ["name:": "name: " + String(repeating: "n", count: 257)])]],
        nonTriggering: [[Example.analytic], [Example.rule(replacing: ["name:": "name: " + String(repeating: "n", count: 256)])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        guard let name = rule.metadata.name, !name.isEmpty else {
            return [info.finding(file, at: nil, "the rule has no name")]
        }
        if name.count > 256 {
            return [info.finding(file, at: rule.metadata.positions[.value(.name)], "the name has \(name.count) characters; Sentinel allows at most 256")]
        }
        return []
    }
}
