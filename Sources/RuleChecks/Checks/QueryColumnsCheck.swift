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
            findings += check(operators, from: table, detection: detection, in: file)
        }
        return findings
    }

    private func check(_ operators: [QueryOperator], from table: TableSchema, detection: Detection, in file: LintFile) -> [Finding] {
        var input = table.columns
        // What made the input, for messages: the table, or the last operator that chose columns.
        var producer: String?
        var findings: [Finding] = []
        for op in operators {
            for column in SchemaFlow.unknownColumns(of: op, input: input) {
                let hint = Suggestion.hint(for: column.name, among: input.map(\.name))
                let place = producer.map { "the output of \($0)" } ?? "table \(table.name)"
                findings.append(info.finding(file, at: column.position, "column '\(column.name)' does not exist in \(place)\(hint)"))
            }
            input = SchemaFlow.output(of: op, input: input, in: detection)
            switch op {
            case .summarize, .project, .distinct: producer = op.keyword
            default: break
            }
        }
        return findings
    }
}
