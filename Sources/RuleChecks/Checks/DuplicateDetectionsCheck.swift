import RuleModel

/// Two rules that detect the same thing: the same detection once lets are inlined and the
/// terms of every and/or are put in order.
struct DuplicateDetectionsCheck: LintCheck {
    let info = CheckInfo(
        id: "duplicate-detections", severity: .warning,
        summary: "No two rules have the same detection after normalisation (lets inlined, and/or terms ordered).",
        triggering: [[
            Example.query("let T0 = ago(1d);\nDeviceProcessEvents\n| where Timestamp > T0 and FileName =~ 'syncro.exe'"),
            Example.rule(Example.query("DeviceProcessEvents\n| where FileName =~ 'syncro.exe' and Timestamp > ago(1d)"), replacing: ["id:": "id: 11111111-2222-4333-8444-555555555555", "name:": "name: Same rule again"]),
        ]],
        nonTriggering: [[Example.analytic, Example.hunting]]
    )

    static func normalised(_ detection: Detection) -> Detection {
        func normal(_ e: QueryExpression) -> QueryExpression {
            let inlined = e.rewritten { node in
                guard case .letReference = node else { return nil }
                let value = detection.resolvingScalarLets(node)
                return value == node ? nil : normal(value)
            }
            return inlined.rewritten { node in
                switch node {
                case .and(let items): .and(KQLKey.sorted(flatten(items.map(normal), and: true)))
                case .or(let items): .or(KQLKey.sorted(flatten(items.map(normal), and: false)))
                default: nil
                }
            }
        }
        func flatten(_ items: [QueryExpression], and: Bool) -> [QueryExpression] {
            items.flatMap { item -> [QueryExpression] in
                if and, case .and(let inner) = item { return inner }
                if !and, case .or(let inner) = item { return inner }
                return [item]
            }
        }
        // Consecutive where clauses are one conjunction.
        var operators: [QueryOperator] = []
        for op in detection.operators {
            if case .filter(let e) = op, case .filter(let previous)? = operators.last {
                operators[operators.count - 1] = .filter(.and([previous, e]))
            } else {
                operators.append(op)
            }
        }
        operators = operators.map { op in
            if case .filter(let e) = op { return .filter(normal(e)) }
            return op
        }
        return Detection(lets: detection.lets.filter { if case .tabular = $0.value { true } else { false } }, source: detection.source, operators: operators)
    }

    func findings(across files: [LintFile], context: LintContext) -> [Finding] {
        var groups: [Detection: [LintFile]] = [:]
        for file in files {
            guard let rule = file.rule else { continue }
            groups[Self.normalised(rule.detection), default: []].append(file)
        }
        var findings: [Finding] = []
        for (_, same) in groups where same.count > 1 {
            for file in same {
                let others = same.filter { $0.path != file.path }.map(\.path)
                let position = file.rule?.metadata.positions[.key(.query)]
                findings.append(info.finding(file, at: position, "this rule detects the same events as \(others.isEmpty ? "another rule in this file" : others.joined(separator: ", "))"))
            }
        }
        return findings
    }
}

/// A sort key for expressions: their KQL text, which carries no source positions, so equal
/// expressions from different files sort alike.
enum KQLKey {
    /// Expressions in key order, each key made once.
    static func sorted(_ items: [QueryExpression]) -> [QueryExpression] {
        items.map { (KQLText.expression($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
