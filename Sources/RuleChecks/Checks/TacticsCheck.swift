import RuleModel
import Support

/// Tactics are Sentinel tactic names; a near miss gets the right spelling and a fix.
struct TacticsCheck: LintCheck {
    let info = CheckInfo(
        id: "tactics", severity: .error,
        summary: "Each tactic is a Sentinel tactic name (CommandAndControl, ...); near misses get the right spelling as a fix.",
        triggering: [
            [Example.rule(replacing: ["  - CommandAndControl": "  - Command and Control"])],
            [Example.rule(replacing: ["  - CommandAndControl": "  - command-and-control"])],
            [Example.rule(replacing: ["  - CommandAndControl": "  - TA0011"])],
            [Example.rule(Example.hunting, replacing: ["tactics:": "tactics: CommandandControl"])],
            [Example.rule(replacing: ["  - CommandAndControl": "  - Lurking"])],
        ],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["  - CommandAndControl": "  - InhibitResponseFunction"])]]
    )

    static func letters(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }

    /// The Sentinel tactic a misspelling most likely means: same letters ignoring case and
    /// separators, an ATT&CK id or short name, or one or two edits away.
    static func correction(for value: String) -> SentinelTactic? {
        let key = letters(value)
        if let same = SentinelTactic.all.first(where: { letters($0.name) == key || $0.attackId?.lowercased() == key || $0.shortName.map(letters) == key }) {
            return same
        }
        let near = Suggestion.closest(to: key, among: SentinelTactic.all.map { letters($0.name) })
        return SentinelTactic.all.first { letters($0.name) == near }
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        var findings: [Finding] = []
        for (index, tactic) in rule.metadata.tactics.enumerated() where SentinelTactic.named(tactic) == nil {
            let position = rule.metadata.positions[.item(.tactics, index)]
            if let right = Self.correction(for: tactic) {
                let fix = position.map { p in
                    Fix("write \(right.name)", edits: [TextEdit(line: p.line, column: p.column, length: file.scalarLength(at: p, value: tactic), replacement: right.name)])
                }
                findings.append(info.finding(file, at: position, "tactic '\(tactic)' is not a Sentinel tactic name; write '\(right.name)'", fix: fix))
            } else {
                findings.append(info.finding(file, at: position, "tactic '\(tactic)' is not a Sentinel tactic (\(SentinelTactic.all.map(\.name).joined(separator: ", ")))"))
            }
        }
        return findings
    }
}
