import RuleModel

/// No two rules share an id (Sentinel keys content by id).
struct UniqueIDsCheck: LintCheck {
    let info = CheckInfo(
        id: "unique-ids", severity: .error,
        summary: "Each id is used by one rule only, across everything linted (every place is reported).",
        triggering: [[Example.analytic, Example.rule(replacing: ["name:": "name: Another rule"])]],
        nonTriggering: [[Example.analytic, Example.hunting]]
    )

    func findings(across files: [LintFile], context: LintContext) -> [Finding] {
        var byID: [String: [(LintFile, SourcePosition?)]] = [:]
        for file in files {
            guard let rule = file.anyRule, let id = rule.metadata.id, !id.isEmpty else { continue }
            byID[id.lowercased(), default: []].append((file, rule.metadata.positions[.value(.id)]))
        }
        var findings: [Finding] = []
        for (id, places) in byID where places.count > 1 {
            for (file, position) in places {
                let others = places.filter { $0.0.path != file.path || $0.1 != position }.map { "\($0.0.path):\($0.1?.line ?? 1)" }
                findings.append(info.finding(file, at: position, "id \(id) is also used by \(others.joined(separator: ", "))"))
            }
        }
        return findings
    }
}
