/// What became of one false-positive scenario's filter for a given table.
public enum ExclusionOutcome: Hashable, Sendable {
    /// The filter as a KQL predicate over the table's columns; matching rows are excluded.
    case applied(QueryExpression)
    /// No filter was given.
    case none
    /// Left out, with why (fields the table does not have, or a filter that did not parse).
    case leftOut(reason: String, position: SourcePosition?)
}

extension FalsePositive {
    /// Resolves the filter's generic field names against `table`. A filter with any field the
    /// table lacks is left out whole: dropping one side of an AND or OR would change its meaning.
    /// Comparisons are case-insensitive (`==` becomes `=~`), as file and user names are on Windows.
    public func exclusion(in table: TableSchema?) -> ExclusionOutcome {
        guard let filterText, !filterText.isEmpty else { return .none }
        guard let filter else { return .leftOut(reason: "its filter does not parse", position: filterPosition) }
        guard let table else { return .leftOut(reason: "the rule's table has no known schema", position: filterPosition) }
        let unmapped = filter.fields.filter { FieldMapping.column(for: $0.name, in: table) == nil }
        if !unmapped.isEmpty {
            let names = unmapped.map { "'\($0.name)'" }
            let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return .leftOut(
                reason: "\(table.name) has no column for \(unique.joined(separator: ", "))",
                position: filterPosition
            )
        }
        return .applied(Self.predicate(for: filter, in: table))
    }

    private static func predicate(for filter: FilterExpression, in table: TableSchema) -> QueryExpression {
        switch filter {
        case .comparison(let field, let negated, let value, _):
            let column = FieldMapping.column(for: field, in: table) ?? field
            return .stringPredicate(StringPredicate(.column(ColumnReference(column)), .equals, .string(value), caseSensitive: false, negated: negated))
        case .and(let items): return .and(items.map { predicate(for: $0, in: table) })
        case .or(let items): return .or(items.map { predicate(for: $0, in: table) })
        case .not(let inner): return .not(predicate(for: inner, in: table))
        }
    }
}

extension Rule {
    /// Each false positive with what its filter becomes for this rule's table.
    public func exclusionOutcomes(catalogue: SchemaCatalogue = .defender) -> [(FalsePositive, ExclusionOutcome)] {
        let table = catalogue.table(named: detection.source.name)
        return falsePositives.map { ($0, $0.exclusion(in: table)) }
    }

    /// The detection every writer renders: the rule's own pipeline with each applicable exclusion
    /// added as `where not(...)` right after the leading filters, so it acts on events, before
    /// any aggregation.
    public func effectiveDetection(catalogue: SchemaCatalogue = .defender) -> Detection {
        let applied: [QueryExpression] = exclusionOutcomes(catalogue: catalogue).compactMap {
            if case .applied(let predicate) = $0.1 { return predicate }
            return nil
        }
        guard !applied.isEmpty else { return detection }
        var result = detection
        let insertAt = result.operators.firstIndex { if case .filter = $0 { false } else { true } } ?? result.operators.count
        result.operators.insert(contentsOf: applied.map { .filter(.not($0)) }, at: insertAt)
        return result
    }
}
