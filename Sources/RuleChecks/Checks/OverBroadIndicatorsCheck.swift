import RuleModel

/// Indicators that are shared infrastructure or generic names (a cloud platform's domain, a
/// bare top-level domain, `setup.exe`, a signer of bundled runtimes): a rule that tests one
/// fires on hosts that have nothing to do with the tool and floods a SOC. Negated tests narrow a
/// rule and are not reported, and neither is a broad test ANDed with a specific one (a domain
/// and the vendor's company name); a rule keeps one on purpose in `x-keepIndicators`.
struct OverBroadIndicatorsCheck: LintCheck {
    let info = CheckInfo(
        id: "over-broad-indicators", severity: .warning,
        summary: "No positive test on shared infrastructure or generic names (cloud and CDN domains, code hosting, dynamic DNS, bare TLDs, setup.exe, Microsoft as signer), unless kept in x-keepIndicators.",
        triggering: [
            [Example.query("DeviceNetworkEvents\n| where RemoteUrl has_any ('syncromsp.com', 'github.com')", table: "DeviceNetworkEvents")],
            [Example.query("DeviceNetworkEvents\n| where RemoteUrl endswith '.amazonaws.com'", table: "DeviceNetworkEvents")],
            [Example.query("DeviceProcessEvents\n| where FileName =~ 'setup.exe'")],
            [Example.query("DeviceFileCertificateInfo\n| where Signer has 'Microsoft Corporation'", table: "DeviceFileCertificateInfo")],
        ],
        nonTriggering: [
            [Example.analytic], [Example.hunting],
            [Example.query("DeviceNetworkEvents\n| where RemoteUrl has 'packagesstore.blob.core.windows.net'", table: "DeviceNetworkEvents")],
            [Example.query("DeviceProcessEvents\n| where FileName =~ 'syncro.exe' and ProcessVersionInfoCompanyName !has 'Microsoft Corporation'")],
            [Example.rule(Example.query("DeviceNetworkEvents\n| where RemoteUrl has 'github.com'", table: "DeviceNetworkEvents"), adding: "x-keepIndicators:\n  - github.com\n")],
            [Example.query("DeviceNetworkEvents\n| where RemoteUrl has_any ('github.com', 'x.io') and InitiatingProcessVersionInfoCompanyName has 'Servably, Inc.'", table: "DeviceNetworkEvents")],
            [Example.query("DeviceNetworkEvents\n| where RemoteUrl has_all ('syncro', 'com')", table: "DeviceNetworkEvents")],
        ]
    )

    static let domainColumns: Set<String> = ["RemoteUrl"]
    static let fileColumns: Set<String> = [
        "FileName", "InitiatingProcessFileName", "ProcessVersionInfoOriginalFileName", "InitiatingProcessVersionInfoOriginalFileName",
        "FolderPath", "InitiatingProcessFolderPath",
    ]
    static let signerColumns: Set<String> = ["Signer", "ProcessVersionInfoCompanyName", "InitiatingProcessVersionInfoCompanyName"]

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.rule else { return [] }
        let kept = Set(rule.metadata.keepIndicators.map { $0.lowercased() })
        let detection = rule.detection
        let predicates = Self.filters(of: detection)
        // The where clauses are ANDed: a broad test next to a specific one (a domain and the
        // vendor's company name) does not fire alone, so only a rule with no specific positive
        // test left is reported.
        let conjuncts = predicates.flatMap(Self.conjuncts)
        let tests = conjuncts.map { conjunct in
            Self.positiveTests(in: conjunct, detection: detection).map { test in
                (test.column, test.needle, kept.contains(test.needle.lowercased()) ? nil : reason(column: test.column.name, needle: test.needle), test.allOf)
            }
        }
        let restricting = tests.contains { conjunctTests in
            !conjunctTests.isEmpty && conjunctTests.allSatisfy { $0.2 == nil }
        }
        guard !restricting else { return [] }
        var findings: [Finding] = []
        for conjunctTests in tests {
            for (column, needle, reason, allOf) in conjunctTests {
                guard let reason else { continue }
                // In has_all, a broad needle is narrowed by the others.
                if let allOf, allOf.contains(where: { self.reason(column: column.name, needle: $0) == nil }) { continue }
                findings.append(info.finding(file, at: column.position, "'\(needle)' is over-broad for \(column.name): \(reason); the rule fires on hosts without the tool (list it in x-keepIndicators to keep it on purpose)"))
            }
        }
        return findings
    }

    /// The `where` predicates of the main pipeline and of tabular lets.
    static func filters(of detection: Detection) -> [QueryExpression] {
        var predicates: [QueryExpression] = detection.operators.compactMap { if case .filter(let e) = $0 { e } else { nil } }
        for statement in detection.lets {
            guard case .tabular(let t) = statement.value else { continue }
            predicates += t.operators.compactMap { if case .filter(let e) = $0 { e } else { nil } }
        }
        return predicates
    }

    static func conjuncts(_ e: QueryExpression) -> [QueryExpression] {
        if case .and(let items) = e { return items.flatMap(conjuncts) }
        return [e]
    }

    func reason(column: String, needle: String) -> String? {
        let list = OverBroadIndicators.bundled
        if Self.domainColumns.contains(column) { return list.reason(forDomain: needle) }
        if Self.fileColumns.contains(column) { return list.reason(forFileName: needle) }
        if Self.signerColumns.contains(column) { return list.reason(forSigner: needle) }
        return nil
    }

    /// A string test that makes a rule fire.
    struct PositiveTest {
        var column: ColumnReference
        var needle: String
        var match: StringMatch
        /// The needles of its `has_all`, which must all match.
        var allOf: [String]?
        /// Every needle of the same test (one, or a list's), any of which fires it.
        var alternatives: [String]
    }

    /// Each string test that makes the rule fire, not those under an odd number of negations.
    static func positiveTests(in e: QueryExpression, detection: Detection, negated: Bool = false) -> [PositiveTest] {
        switch e {
        case .not(let inner):
            return positiveTests(in: inner, detection: detection, negated: !negated)
        case .and(let items), .or(let items):
            return items.flatMap { positiveTests(in: $0, detection: detection, negated: negated) }
        case .stringPredicate(let p):
            guard p.negated == negated, case .column(let column) = p.subject else { return [] }
            let needles = strings(in: detection.resolvingScalarLets(p.needle), detection: detection)
            return needles.map { PositiveTest(column: column, needle: $0, match: p.match, allOf: nil, alternatives: needles) }
        case .list(let p):
            guard p.negated == negated, case .column(let column) = p.subject, case .literals(let values) = p.values else { return [] }
            let needles = values.flatMap { strings(in: detection.resolvingScalarLets($0), detection: detection) }
            return needles.map { PositiveTest(column: column, needle: $0, match: p.match, allOf: p.quantifier == .all ? needles : nil, alternatives: needles) }
        default:
            return []
        }
    }

    static func strings(in e: QueryExpression, detection: Detection) -> [String] {
        switch e {
        case .string(let s): [s]
        case .dynamicArray(let items): items.flatMap { strings(in: detection.resolvingScalarLets($0), detection: detection) }
        default: []
        }
    }
}
