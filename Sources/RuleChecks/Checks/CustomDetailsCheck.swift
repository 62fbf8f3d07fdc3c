import RuleModel

/// Custom details within Sentinel's limits.
struct CustomDetailsCheck: LintCheck {
    let info = CheckInfo(
        id: "custom-details", severity: .error,
        summary: "At most 20 custom details; keys are letters, digits and _ (at most 20, starting with a letter); values are column names.",
        triggering: [
            [Example.rule(adding: "customDetails:\n  1stSigner: Signer\n")],
            [Example.rule(adding: "customDetails:\n" + (1...21).map { "  Detail\($0): FileName\n" }.joined())],
            [Example.rule(adding: "customDetails:\n  Signer: not a column\n")],
        ],
        nonTriggering: [[Example.analytic], [Example.rule(adding: "customDetails:\n  FileName: FileName\n  Folder_Path: FolderPath\n")]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        let details = rule.metadata.customDetails
        let at = rule.metadata.positions[.key(.customDetails)]
        var findings: [Finding] = []
        if details.count > 20 {
            findings.append(info.finding(file, at: at, "\(details.count) custom details; Sentinel allows at most 20"))
        }
        for detail in details {
            let key = detail.key
            let keyValid = key.count <= 20 && (key.first.map { $0.isASCII && $0.isLetter } ?? false) && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !keyValid {
                findings.append(info.finding(file, at: at, "custom detail key '\(key)' must start with a letter and hold at most 20 letters, digits or _"))
            }
            if detail.value.count > 500 || !EntityMappingsCheck.isColumnName(detail.value) {
                findings.append(info.finding(file, at: at, "custom detail '\(key)' must name a column (at most 500 characters), not '\(detail.value)'"))
            }
        }
        return findings
    }
}
