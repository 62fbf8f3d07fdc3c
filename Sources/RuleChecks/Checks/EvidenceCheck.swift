import RuleModel

/// A rule's signer and company literals against what a tool catalogue (LOLRMM, `lint
/// --evidence`) recorded for the same tool. When the catalogue recorded values of that kind
/// and none can match any of the test's literals, the test contradicts the evidence: if the
/// column holds what the catalogue recorded (Defender's Signer is the certificate's subject
/// name), the test never fires. A tool the catalogue has no values for is a mere absence of
/// evidence and is not reported.
struct EvidenceCheck: LintCheck {
    static let exampleRule = Example.query("DeviceFileCertificateInfo\n| where Signer has 'Servably, Inc.'", table: "DeviceFileCertificateInfo")
        .replacingOccurrences(of: "name: Example rule", with: "name: Remote Management and Monitoring tool - SyncroMSP - File Signature")

    let info = CheckInfo(
        id: "evidence", severity: .warning,
        summary: "With --evidence, each signer and company test can match something the tool catalogue recorded for the rule's tool.",
        triggering: [[exampleRule]],
        nonTriggering: [
            [exampleRule.replacingOccurrences(of: "Signer has 'Servably, Inc.'", with: "Signer has_any ('Servably Inc.', 'Servably, Inc.')")],
            [exampleRule.replacingOccurrences(of: "SyncroMSP", with: "AnyDesk")],
            [Example.analytic],
        ],
        exampleContext: LintContext(evidence: [ToolEvidence(
            name: "Syncro", key: "syncro",
            signers: [ToolEvidence.Value(text: "Servably Inc.", file: "syncro.yaml", position: SourcePosition(line: 48, column: 24))],
            companies: [ToolEvidence.Value(text: "Servably, Inc.", file: "syncro.yaml", position: SourcePosition(line: 50, column: 29))]
        )])
    )

    static let signerColumns: Set<String> = ["Signer"]
    static let companyColumns: Set<String> = ["ProcessVersionInfoCompanyName", "InitiatingProcessVersionInfoCompanyName"]

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard !context.evidence.isEmpty, let rule = file.rule, let tool = rule.metadata.tool,
              let evidence = context.evidence.first(where: { $0.describes(tool) }) else { return [] }
        var findings: [Finding] = []
        var reported: Set<[String]> = []
        for predicate in OverBroadIndicatorsCheck.filters(of: rule.detection) {
            for test in OverBroadIndicatorsCheck.positiveTests(in: predicate, detection: rule.detection) {
                let (kind, recorded): (String, [ToolEvidence.Value])
                if Self.signerColumns.contains(test.column.name) {
                    (kind, recorded) = ("signer", evidence.signers)
                } else if Self.companyColumns.contains(test.column.name) {
                    (kind, recorded) = ("company", evidence.companies)
                } else {
                    continue
                }
                guard !recorded.isEmpty, reported.insert([test.column.name] + test.alternatives).inserted else { continue }
                let matched = test.alternatives.contains { needle in recorded.contains { Self.matches($0.text, needle, test.match) } }
                guard !matched else { continue }
                var shown: Set<String> = []
                let seen = recorded.filter { shown.insert($0.text).inserted }.map { "'\($0.text)' (\($0.origin))" }.joined(separator: ", ")
                let literals = test.alternatives.map { "'\($0)'" }.joined(separator: ", ")
                findings.append(info.finding(file, at: test.column.position, "\(test.column.name) \(test.match.rawValue) \(literals) cannot match any \(kind) the catalogue recorded for \(evidence.name): \(seen); where \(test.column.name) holds that value, this test never fires"))
            }
        }
        return findings
    }

    /// KQL's meaning of the operator, case-insensitively (the catalogue's case is not Defender's).
    static func matches(_ value: String, _ needle: String, _ match: StringMatch) -> Bool {
        let v = KQLTerms.folded(value), n = KQLTerms.folded(needle)
        switch match {
        case .has: return KQLTerms.has(value, needle)
        case .contains: return v.contains(n)
        case .startsWith: return v.hasPrefix(n)
        case .endsWith: return v.hasSuffix(n)
        case .equals: return v == n
        }
    }
}
