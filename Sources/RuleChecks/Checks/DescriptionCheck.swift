/// The description is present and at most 5000 characters.
struct DescriptionCheck: LintCheck {
    let info = CheckInfo(
        id: "description", severity: .error,
        summary: "The description is present and at most 5000 characters.",
        triggering: [[Example.rule(replacing: ["description:": nil])], [Example.rule(replacing: ["description:": "description: " + String(repeating: "d", count: 5001)])]],
        nonTriggering: [[Example.analytic], [Example.hunting]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        guard let description = rule.metadata.description, !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return [info.finding(file, at: rule.metadata.positions[.key(.description)], "the rule has no description")]
        }
        if description.count > 5000 {
            return [info.finding(file, at: rule.metadata.positions[.value(.description)], "the description has \(description.count) characters; Sentinel allows at most 5000")]
        }
        return []
    }
}

import Foundation
