import RuleModel

/// Techniques are ATT&CK ids that exist, and are neither revoked nor deprecated.
struct TechniquesCheck: LintCheck {
    let info = CheckInfo(
        id: "techniques", severity: .error,
        summary: "Each technique is T#### or T####.### and exists in ATT&CK Enterprise; revoked or deprecated ones are flagged with their replacement.",
        triggering: [
            [Example.rule(replacing: ["  - T1219": "  - T12"])],
            [Example.rule(replacing: ["  - T1219": "  - T9999"])],
            [Example.rule(replacing: ["  - T1219": "  - T1086", "  - CommandAndControl": "  - Execution"])],
        ],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["  - T1219": "  - T1219.001"])]]
    )

    static func isWellFormed(_ id: String) -> Bool {
        let scalars = Array(id)
        guard scalars.count == 5 || scalars.count == 9, scalars[0] == "T", scalars[1...4].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return scalars.count == 5 || (scalars[5] == "." && scalars[6...8].allSatisfy { $0.isASCII && $0.isNumber })
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        var findings: [Finding] = []
        for (index, id) in rule.metadata.techniques.enumerated() {
            let position = rule.metadata.positions[.item(.relevantTechniques, index)]
            guard Self.isWellFormed(id) else {
                findings.append(info.finding(file, at: position, "technique '\(id)' is not T#### or T####.###"))
                continue
            }
            guard let technique = context.attack.technique(id) else {
                findings.append(info.finding(file, at: position, "technique \(id) does not exist in ATT&CK Enterprise v\(context.attack.version)"))
                continue
            }
            if technique.revoked == true {
                let replacement = technique.revokedBy.map { by in " by \(by)" + (context.attack.technique(by).map { " (\($0.name))" } ?? "") } ?? ""
                findings.append(info.finding(file, at: position, "technique \(id) (\(technique.name)) was revoked in ATT&CK\(replacement)", severity: .warning))
            } else if technique.deprecated == true {
                findings.append(info.finding(file, at: position, "technique \(id) (\(technique.name)) is deprecated in ATT&CK v\(context.attack.version)", severity: .warning))
            }
        }
        return findings
    }
}
