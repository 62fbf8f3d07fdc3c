/// KQL's rules for which columns, of which types, a pipeline has after each operator: the one
/// place they are written, used by the column check, the SQL writer and every other consumer.
///
/// - `where`, `take`, `sort` and `top` keep their input.
/// - `summarize` gives its keys, then each aggregate's column; `arg_max(x, cols)` and
///   `arg_min` give x's column and the returned ones (`*`: every input column not a key).
/// - `project` gives exactly its items; `extend` replaces or appends; `project-away` removes;
///   `distinct` gives the named columns (all with `distinct *`).
///
/// An expression whose type cannot be known (a column the input lacks, a tabular let) is
/// typed `string`, as KQL shows unknowns; the column check reports such columns.
public enum SchemaFlow {
    /// The columns after each operator: element 0 is the table's, element i + 1 is after
    /// `operators[i]`.
    public static func relations(from table: TableSchema, through operators: [QueryOperator], in detection: Detection) -> [[ColumnSchema]] {
        var relations = [table.columns]
        for op in operators {
            relations.append(output(of: op, input: relations[relations.count - 1], in: detection))
        }
        return relations
    }

    /// The columns after `op`, given the columns before it.
    public static func output(of op: QueryOperator, input: [ColumnSchema], in detection: Detection) -> [ColumnSchema] {
        func column(_ name: String, _ e: QueryExpression) -> ColumnSchema {
            ColumnSchema(name: name, type: type(of: e, in: input, detection: detection) ?? .string)
        }
        switch op {
        case .filter, .take, .sort, .top:
            return input
        case .summarize(let s):
            var columns = s.keys.map { column($0.outputName, $0.expression) }
            let keyNames = Set(columns.map(\.name))
            for aggregate in s.aggregates {
                for produced in aggregateColumns(aggregate, input: input, keys: keyNames, in: detection) where !columns.contains(where: { $0.name == produced.name }) {
                    columns.append(produced)
                }
            }
            return columns
        case .project(let items):
            return items.map { column($0.outputName, $0.expression) }
        case .extend(let items):
            var columns = input
            for item in items {
                let added = column(item.outputName, item.expression)
                if let existing = columns.firstIndex(where: { $0.name == added.name }) {
                    columns[existing] = added
                } else {
                    columns.append(added)
                }
            }
            return columns
        case .projectAway(let removed):
            let names = Set(removed.map(\.name))
            return input.filter { !names.contains($0.name) }
        case .distinct(let chosen):
            if chosen.isEmpty { return input }
            return chosen.map { c in input.first { $0.name == c.name } ?? ColumnSchema(name: c.name, type: .string) }
        }
    }

    /// The columns one aggregate adds to a summarize's keys.
    public static func aggregateColumns(_ a: Aggregate, input: [ColumnSchema], keys: Set<String>, in detection: Detection) -> [ColumnSchema] {
        let first = a.arguments.first.flatMap { type(of: $0, in: input, detection: detection) }
        switch a.function {
        case .count, .countif, .dcount:
            return [ColumnSchema(name: a.outputName, type: .long)]
        case .min, .max:
            return [ColumnSchema(name: a.outputName, type: first ?? .string)]
        case .makeSet, .makeList:
            return [ColumnSchema(name: a.outputName, type: .dynamic)]
        case .argMax, .argMin:
            var columns = [ColumnSchema(name: a.outputName, type: first ?? .string)]
            for argument in a.arguments.dropFirst() {
                guard case .column(let c) = argument else { continue }
                let returned = c.name == "*"
                    ? input.filter { !keys.contains($0.name) && $0.name != a.outputName }
                    : input.filter { $0.name == c.name }
                for schema in returned where !columns.contains(schema) { columns.append(schema) }
            }
            return columns
        }
    }

    /// The type of `e` over `columns`; nil where it cannot be known.
    public static func type(of e: QueryExpression, in columns: [ColumnSchema], detection: Detection) -> ColumnType? {
        switch e {
        case .column(let c): return columns.first { $0.name == c.name }?.type
        case .letReference(let name): return detection.scalarLet(named: name).flatMap { type(of: $0, in: columns, detection: detection) }
        case .string: return .string
        case .long: return .long
        case .real: return .real
        case .bool: return .bool
        case .timespan: return .timespan
        case .datetime, .now, .ago: return .datetime
        case .dynamicArray: return .dynamic
        case .arithmetic(let op, let l, let r):
            let left = type(of: l, in: columns, detection: detection)
            let right = type(of: r, in: columns, detection: detection)
            if left == .datetime, right == .timespan, op == .add || op == .subtract { return .datetime }
            if left == .real || right == .real { return .real }
            return left == nil || right == nil ? nil : .long
        case .function(let f, _):
            switch f {
            case .tolower, .toupper: return .string
            case .strlen: return .long
            default: return .bool
            }
        case .comparison, .between, .stringPredicate, .list, .and, .or, .not:
            return .bool
        }
    }

    /// The columns `op` names that `input` does not have (`*` aside).
    public static func unknownColumns(of op: QueryOperator, input: [ColumnSchema]) -> [ColumnReference] {
        let named: [ColumnReference] = switch op {
        case .filter(let e): e.columns
        case .summarize(let s): s.aggregates.flatMap { $0.arguments.flatMap(\.columns) } + s.keys.flatMap(\.expression.columns)
        case .project(let items), .extend(let items): items.flatMap(\.expression.columns)
        case .projectAway(let cs), .distinct(let cs): cs
        case .take: []
        case .sort(let keys), .top(_, let keys): keys.flatMap(\.expression.columns)
        }
        return named.filter { column in column.name != "*" && !input.contains { $0.name == column.name } }
    }
}

extension SchemaFlow {
    /// The columns, and their types, a detection returns; nil when its table has no schema.
    public static func columns(returnedBy detection: Detection, catalogue: SchemaCatalogue) -> [ColumnSchema]? {
        guard let table = catalogue.table(named: detection.source.name) else { return nil }
        return relations(from: table, through: detection.operators, in: detection).last
    }

    /// The first column a pipeline of `detection` reads that its input does not have, with the
    /// names the input does have; pipelines over tables the catalogue lacks are not checked.
    public static func firstUnknownColumn(in detection: Detection, catalogue: SchemaCatalogue) -> (column: ColumnReference, available: [String])? {
        let lets: [(TableReference, [QueryOperator])] = detection.lets.compactMap {
            if case .tabular(let t) = $0.value { return (t.source, t.operators) }
            return nil
        }
        for (source, operators) in lets + [(detection.source, detection.operators)] {
            guard let table = catalogue.table(named: source.name) else { continue }
            var input = table.columns
            for op in operators {
                if let column = unknownColumns(of: op, input: input).first { return (column, input.map(\.name)) }
                input = output(of: op, input: input, in: detection)
            }
        }
        return nil
    }
}

extension Rule {
    /// The columns, and their types, of the rule's findings (its exclusions applied); nil when
    /// its table has no schema.
    public func findingColumns(catalogue: SchemaCatalogue) -> [ColumnSchema]? {
        SchemaFlow.columns(returnedBy: effectiveDetection(catalogue: catalogue), catalogue: catalogue)
    }
}
