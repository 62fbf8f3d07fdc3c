/// Where a KQL query runs. Defender XDR advanced hunting and Microsoft Sentinel (Log Analytics)
/// hold the same Defender tables, but Log Analytics names the event time `TimeGenerated` and has
/// no `Timestamp` column; every other column is the same.
public enum QueryPlatform: String, Sendable, CaseIterable {
    case defender
    case sentinel

    /// Defender's name for the event time.
    public static let defenderTimeColumn = "Timestamp"
    /// Log Analytics' name for the same instant.
    public static let sentinelTimeColumn = "TimeGenerated"

    /// The detection as this platform spells it: for Sentinel, every reference to a Defender
    /// table's `Timestamp` reads `TimeGenerated`, up to an operator that defines a column named
    /// `Timestamp` itself (later references mean that column). Aggregates whose name KQL derives
    /// from `Timestamp` (`min_Timestamp`) keep that name, so the query returns the same columns.
    public func adapting(_ detection: Detection, catalogue: SchemaCatalogue) -> Detection {
        guard self == .sentinel else { return detection }
        var renamedLets: Set<String> = []
        var d = detection
        d.lets = detection.lets.map { statement in
            switch statement.value {
            case .scalar:
                return statement
            case .tabular(let t):
                let (operators, throughout) = adapt(t.operators, source: t.source.name, catalogue: catalogue, renamedLets: renamedLets)
                if throughout { renamedLets.insert(statement.name) }
                return statement.with(.tabular(TabularExpression(source: t.source, operators: operators)))
            }
        }
        d.operators = adapt(detection.operators, source: detection.source.name, catalogue: catalogue, renamedLets: renamedLets).operators
        return d
    }

    /// The pipeline with `Timestamp` renamed, and whether the renaming ran to its end.
    private func adapt(_ operators: [QueryOperator], source: String, catalogue: SchemaCatalogue, renamedLets: Set<String>) -> (operators: [QueryOperator], throughout: Bool) {
        let hasTimestamp = catalogue.table(named: source)?.column(named: Self.defenderTimeColumn) != nil
        guard hasTimestamp || renamedLets.contains(source) else { return (operators, false) }
        var result: [QueryOperator] = []
        var renaming = true
        for op in operators {
            guard renaming else {
                result.append(op)
                continue
            }
            result.append(Self.keepingDerivedNames(op).mappingColumns { column in
                column.name == Self.defenderTimeColumn ? ColumnReference(Self.sentinelTimeColumn, at: column.position) : column
            })
            if op.explicitNames.contains(Self.defenderTimeColumn) { renaming = false }
        }
        return (result, renaming)
    }

    /// Names the aggregates whose derived name mentions `Timestamp`, so renaming their argument
    /// does not rename the output column.
    private static func keepingDerivedNames(_ op: QueryOperator) -> QueryOperator {
        guard case .summarize(var s) = op else { return op }
        s.aggregates = s.aggregates.map { aggregate in
            guard aggregate.name == nil, aggregate.function != .argMax, aggregate.function != .argMin,
                  aggregate.arguments.contains(where: { $0.columns.contains { $0.name == defenderTimeColumn } })
            else { return aggregate }
            return Aggregate(name: aggregate.outputName, aggregate.function, aggregate.arguments)
        }
        return .summarize(s)
    }
}

extension LetStatement {
    func with(_ value: LetValue) -> LetStatement { LetStatement(name: name, value: value) }
}
