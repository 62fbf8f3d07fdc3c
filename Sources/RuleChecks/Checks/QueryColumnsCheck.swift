import RuleModel
import Support

/// Every column the query names exists where it is used: in the table, or in the output of the
/// operator before (after a summarize only its keys and aggregates exist). KQL names are
/// case-sensitive; an unknown name gets a "did you mean" from the schema.
struct QueryColumnsCheck: LintCheck {
    let info = CheckInfo(
        id: "query-columns", severity: .error,
        summary: "Every column the query uses exists in its table (or the operator before it), case-sensitively.",
        triggering: [
            [Example.query("DeviceProcessEvents\n| where Filename =~ 'syncro.exe'")],
            [Example.query("DeviceNetworkEvents\n| summarize count() by DeviceId, AccountUpn", table: "DeviceNetworkEvents")],
            [Example.query("DeviceProcessEvents\n| summarize Count = count() by DeviceId\n| where FileName has 'x'")],
            [Example.query("DeviceProcessEvent\n| where FileName has 'x'")],
        ],
        nonTriggering: [
            [Example.analytic], [Example.hunting],
            [Example.query("DeviceNetworkEvents\n| summarize Count = count() by DeviceId, AccountUpn = InitiatingProcessAccountUpn\n| where Count > 1 and AccountUpn has 'x'\n| extend Twice = Count * 2\n| project-away Count\n| sort by Twice desc", table: "DeviceNetworkEvents")],
        ]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.rule else { return [] }
        var findings: [Finding] = []
        let detection = rule.detection
        var pipelines: [(TableReference, [QueryOperator])] = [(detection.source, detection.operators)]
        for statement in detection.lets {
            if case .tabular(let t) = statement.value { pipelines.append((t.source, t.operators)) }
        }
        for (source, operators) in pipelines {
            guard let table = context.catalogue.table(named: source.name) else {
                let hint = Suggestion.hint(for: source.name, among: context.catalogue.tables.keys)
                findings.append(info.finding(file, at: source.position, "table '\(source.name)' is not one of the Defender tables rulepack knows\(hint); its columns cannot be checked"))
                continue
            }
            findings += check(operators, from: table, in: file)
        }
        return findings
    }

    private func check(_ operators: [QueryOperator], from table: TableSchema, in file: LintFile) -> [Finding] {
        var scope = table.columns.map(\.name)
        var scopeName = table.name
        var findings: [Finding] = []
        func require(_ columns: [ColumnReference]) {
            for column in columns where column.name != "*" && !scope.contains(column.name) {
                let hint = Suggestion.hint(for: column.name, among: scope)
                let place = scopeName == table.name ? "table \(table.name)" : "the output of \(scopeName)"
                findings.append(info.finding(file, at: column.position, "column '\(column.name)' does not exist in \(place)\(hint)"))
            }
        }
        func columns(_ e: QueryExpression) -> [ColumnReference] { e.columns }
        for op in operators {
            switch op {
            case .filter(let e):
                require(columns(e))
            case .summarize(let s):
                s.aggregates.forEach { require($0.arguments.flatMap(columns)) }
                s.keys.forEach { require(columns($0.expression)) }
                var next = s.keys.map(\.outputName)
                for aggregate in s.aggregates {
                    if aggregate.function == .argMax || aggregate.function == .argMin {
                        let returned = aggregate.arguments.flatMap(columns).map(\.name)
                        next += returned.contains("*") ? scope.filter { !next.contains($0) } : returned.filter { !next.contains($0) }
                    } else {
                        next.append(aggregate.outputName)
                    }
                }
                scope = next
                scopeName = "summarize"
            case .project(let items):
                items.forEach { require(columns($0.expression)) }
                scope = items.map(\.outputName)
                scopeName = "project"
            case .extend(let items):
                items.forEach { require(columns($0.expression)) }
                scope += items.map(\.outputName).filter { !scope.contains($0) }
            case .projectAway(let cs):
                require(cs)
                scope.removeAll { name in cs.contains { $0.name == name } }
            case .distinct(let cs):
                require(cs)
                if !cs.isEmpty { scope = cs.map(\.name) }
                scopeName = "distinct"
            case .take:
                break
            case .sort(let keys), .top(_, let keys):
                keys.forEach { require(columns($0.expression)) }
            }
        }
        return findings
    }
}
