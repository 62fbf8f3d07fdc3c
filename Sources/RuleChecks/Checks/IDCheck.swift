import RuleModel

/// Every rule has an id, and it is a GUID.
struct IDCheck: LintCheck {
    let info = CheckInfo(
        id: "id", severity: .error,
        summary: "The id is present and a GUID (--fix-ids writes a fresh one).",
        triggering: [[Example.rule(replacing: ["id:": nil])], [Example.rule(replacing: ["id:": "id: syncromsp-file-signature"])]],
        nonTriggering: [[Example.analytic], [Example.rule(replacing: ["id:": "id: 6F3D2B1A-9C8E-4D7F-A6B5-4C3D2E1F0A9B"])]]
    )

    static func isGUID(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        // Derived from the file and the rule's name, so the proposed id is the same on every run.
        let fresh = NameBasedUUID.make(namespace: "6ba7b811-9dad-11d1-80b4-00c04fd430c8", name: "rulepack:\(file.path):\(rule.metadata.name ?? "")")
        guard let id = rule.metadata.id, !id.isEmpty else {
            let fix = Fix("add id: \(fresh)", kind: .newIdentifier, edits: [TextEdit(line: 1, column: 1, length: 0, replacement: "id: \(fresh)" + file.lineEnding)])
            return [info.finding(file, at: SourcePosition(line: 1, column: 1), "the rule has no id; Sentinel needs a GUID that never changes once published", fix: fix)]
        }
        guard Self.isGUID(id) else {
            let position = rule.metadata.positions[.value(.id)]
            let fix = position.map { p in
                Fix("replace the id with \(fresh)", kind: .newIdentifier, edits: [TextEdit(line: p.line, column: p.column, length: file.scalarLength(at: p, value: id), replacement: fresh)])
            }
            return [info.finding(file, at: position, "id '\(id)' is not a GUID", fix: fix)]
        }
        return []
    }
}
