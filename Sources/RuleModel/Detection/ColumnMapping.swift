/// Walks every column reference of a query, for rewrites that rename or move columns.
extension QueryExpression {
    /// A copy with every column reference passed through `transform`.
    public func mappingColumns(_ transform: (ColumnReference) -> ColumnReference) -> QueryExpression {
        rewritten { node in
            if case .column(let column) = node { return .column(transform(column)) }
            return nil
        }
    }
}

extension NamedExpression {
    public func mappingColumns(_ transform: (ColumnReference) -> ColumnReference) -> NamedExpression {
        NamedExpression(name: name, expression.mappingColumns(transform))
    }
}

extension SortKey {
    public func mappingColumns(_ transform: (ColumnReference) -> ColumnReference) -> SortKey {
        SortKey(expression.mappingColumns(transform), descending: descending, nullsFirst: nullsFirst)
    }
}

extension QueryOperator {
    /// A copy with every column reference passed through `transform`; output names the query
    /// gives explicitly stay as they are.
    public func mappingColumns(_ transform: (ColumnReference) -> ColumnReference) -> QueryOperator {
        switch self {
        case .filter(let e): .filter(e.mappingColumns(transform))
        case .summarize(let s):
            .summarize(Summarize(
                aggregates: s.aggregates.map { Aggregate(name: $0.name, $0.function, $0.arguments.map { $0.mappingColumns(transform) }) },
                keys: s.keys.map { $0.mappingColumns(transform) }
            ))
        case .project(let items): .project(items.map { $0.mappingColumns(transform) })
        case .extend(let items): .extend(items.map { $0.mappingColumns(transform) })
        case .projectAway(let columns): .projectAway(columns.map(transform))
        case .distinct(let columns): .distinct(columns.map(transform))
        case .take(let n): .take(n)
        case .sort(let keys): .sort(keys.map { $0.mappingColumns(transform) })
        case .top(let n, let keys): .top(n, by: keys.map { $0.mappingColumns(transform) })
        }
    }

    /// The column names this operator gives explicitly (`name = ...`); a later reference to
    /// one of them means the new column.
    public var explicitNames: [String] {
        switch self {
        case .summarize(let s): s.aggregates.compactMap(\.name) + s.keys.compactMap(\.name)
        case .project(let items), .extend(let items): items.compactMap(\.name)
        case .filter, .projectAway, .distinct, .take, .sort, .top: []
        }
    }
}

extension Detection {
    /// A copy with every column reference (in lets and the main pipeline) passed through `transform`.
    public func mappingColumns(_ transform: (ColumnReference) -> ColumnReference) -> Detection {
        var d = self
        d.lets = lets.map { statement in
            var s = statement
            switch s.value {
            case .scalar(let e): s.value = .scalar(e.mappingColumns(transform))
            case .tabular(var t):
                t.operators = t.operators.map { $0.mappingColumns(transform) }
                s.value = .tabular(t)
            }
            return s
        }
        d.operators = operators.map { $0.mappingColumns(transform) }
        return d
    }
}
