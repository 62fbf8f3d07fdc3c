import RuleModel
import Support

/// Renders a rule's detection as one SQL SELECT (with a WITH where needed) in a dialect.
/// The statement runs against tables named like the Defender tables, with the columns of the
/// schema catalogue, and returns the rows and column names the KQL query returns.
public struct SQLWriter: Sendable {
    public var dialect: SQLDialect
    public var catalogue: SchemaCatalogue
    /// An ISO-8601 UTC instant to use as now(), so a past export is hunted as of its own time;
    /// nil for the engine's clock.
    public var pinnedNow: String?

    public init(dialect: SQLDialect = .sqlite, catalogue: SchemaCatalogue = .defender, pinnedNow: String? = nil) {
        self.dialect = dialect
        self.catalogue = catalogue
        self.pinnedNow = pinnedNow
    }

    /// The dialect with now() pinned when asked.
    func effectiveDialect() throws(WriterError) -> SQLDialect {
        var d = dialect
        guard let pinnedNow else {
            d.nowTable?.body = fill(dialect.nowTable?.body ?? "", ["now": "'now'"])
            return d
        }
        let literal = try dialect.quoteString(try SQLRenderContext.isoDatetime(pinnedNow))
        if let table = d.nowTable {
            d.nowTable?.body = fill(table.body, ["now": literal])
        } else {
            d.nowInstant = fill(d.instantFromLiteral, ["value": literal])
        }
        return d
    }

    /// The rule's statement alone (exclusions applied; no comment header, no semicolon), for
    /// engines that run it.
    public func statement(_ rule: Rule) throws(WriterError) -> String {
        try query(rule.effectiveDetection(catalogue: catalogue)).0
    }

    public func write(_ rule: Rule) throws(WriterError) -> Translation {
        var notes = rule.exclusionNotes(catalogue: catalogue)
        let (sql, queryNotes) = try query(rule.effectiveDetection(catalogue: catalogue))
        notes += queryNotes
        var header: [String] = []
        if let name = rule.metadata.name { header.append("-- \(KQLText.singleLine(name))") }
        if let id = rule.metadata.id { header.append("-- id: \(KQLText.singleLine(id))") }
        header.append("-- translated from KQL by rulepack (dialect: \(dialect.name))")
        for override in rule.metadata.overrides { header.append("-- local override: \(KQLText.singleLine(override))") }
        for note in notes { header.append("-- \(note.severity.rawValue): \(KQLText.singleLine(note.message))") }
        return Translation(text: header.joined(separator: "\n") + "\n" + sql + ";\n", notes: notes)
    }

    /// The SELECT statement for a detection, and notes on what it could not carry exactly.
    public func query(_ detection: Detection) throws(WriterError) -> (String, [WriterNote]) {
        let dialect = try effectiveDialect()
        var context = SQLRenderContext(dialect: dialect, catalogue: catalogue, detection: detection)
        let main = try context.pipeline(source: detection.source, operators: detection.operators, stepPrefix: "step")
        var ctes: [(String, String)] = []
        if context.usesNow, let table = dialect.nowTable {
            ctes.append((dialect.identifier("query_now") + " " + table.definition, table.body))
        }
        ctes += context.ctes.map { (dialect.identifier($0.name) + " AS", $0.sql) }
        var text = ""
        if !ctes.isEmpty {
            text = "WITH " + ctes.map { name, body in
                name + " (\n" + body.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n)"
            }.joined(separator: ",\n") + "\n"
        }
        text += main
        return (text, context.notes)
    }
}

/// A value rendered to SQL, with its KQL type where known. `isInstant` marks an expression
/// already in the dialect's instant form (SQLite: a julian day number).
struct SQLValue {
    var sql: String
    var type: ColumnType?
    var isInstant = false
    /// A string literal: never null, so it needs no coalesce().
    var isLiteral = false
}

/// One SELECT being built from consecutive pipeline operators; a new one starts (and this one
/// becomes a CTE step) when an operator cannot merge into it.
struct SelectBuilder {
    var from: String
    var input: [ColumnSchema]
    var items: [(sql: String, column: ColumnSchema)]?
    var distinct = false
    var filters: [String] = []
    var groupBy: [String]?
    var orderBy: [String] = []
    var limit: Int64?
    var needsNow = false

    var output: [ColumnSchema] { items?.map(\.column) ?? input }

    /// `final`: the statement's outermost SELECT, where a string column comes out as "" rather
    /// than NULL, since KQL has no null strings.
    func render(_ dialect: SQLDialect, nowJoin: String?, final: Bool = false) -> String {
        var list = items ?? input.map { (dialect.identifier($0.name), $0) }
        if final || distinct {
            list = list.map { item in
                item.column.type == .string && !item.sql.hasPrefix("coalesce(") && !item.sql.hasPrefix("'")
                    ? ("coalesce(\(item.sql), '')", item.column) : item
            }
        }
        let selectItems = list.map { item in
            item.sql == dialect.identifier(item.column.name) ? item.sql : item.sql + " AS " + dialect.identifier(item.column.name)
        }
        var lines = ["SELECT " + (distinct ? "DISTINCT " : "") + selectItems.joined(separator: ", ")]
        if needsNow, let nowJoin {
            lines.append("FROM " + fill(dialect.joinNowTable, ["from": from, "now": nowJoin]))
        } else {
            lines.append("FROM " + from)
        }
        if !filters.isEmpty {
            lines.append("WHERE " + filters.joined(separator: "\n  AND "))
        }
        if let groupBy, !groupBy.isEmpty {
            lines.append("GROUP BY " + groupBy.joined(separator: ", "))
        }
        if !orderBy.isEmpty {
            lines.append("ORDER BY " + orderBy.joined(separator: ", "))
        }
        if let limit {
            lines.append(fill(dialect.limitClause, ["count": String(limit)]))
        }
        return lines.joined(separator: "\n")
    }
}

struct SQLRenderContext {
    let dialect: SQLDialect
    let catalogue: SchemaCatalogue
    let detection: Detection
    var notes: [WriterNote] = []
    var ctes: [(name: String, sql: String)] = []
    var usesNow = false
    /// Columns of the tabular lets rendered so far, by name.
    var tabularColumns: [String: [ColumnSchema]] = [:]
    /// CTE names for the steps of the pipeline being rendered: step1, step2, ...
    var stepPrefix = "step"
    var stepCount = 0

    init(dialect: SQLDialect, catalogue: SchemaCatalogue, detection: Detection) {
        self.dialect = dialect
        self.catalogue = catalogue
        self.detection = detection
    }

    func quote(_ identifier: String) -> String {
        dialect.identifier(identifier)
    }

    var nowJoin: String? { dialect.nowTable == nil ? nil : dialect.identifier("query_now") }

    // MARK: - Pipeline

    mutating func pipeline(source: TableReference, operators: [QueryOperator], stepPrefix: String) throws(WriterError) -> String {
        guard let table = catalogue.table(named: source.name) else {
            throw WriterError("unknown table '\(source.name)': the SQL writer needs its columns (known tables: \(catalogue.tables.keys.sorted().joined(separator: ", ")))", at: source.position)
        }
        var select = SelectBuilder(from: quote(table.name), input: table.columns)
        self.stepPrefix = stepPrefix
        for op in operators {
            let nowBefore = usesNow
            // The columns and types after the operator are SchemaFlow's; the SQL below only
            // computes them, and must name the same columns.
            let flow = SchemaFlow.output(of: op, input: select.output, in: detection)
            switch op {
            case .filter(let predicate):
                if select.items != nil || select.groupBy != nil || select.limit != nil || select.distinct { wrap(&select) }
                // Clauses are joined with AND, so each binds at least as tightly as AND; a
                // top-level `and` is split into one clause per line.
                let conjuncts: [QueryExpression] = if case .and(let items) = predicate { items } else { [predicate] }
                for conjunct in conjuncts {
                    select.filters.append(try operand(conjunct, in: select.input, looserThan: .and))
                }
            case .summarize(let summarize):
                if select.items != nil || select.groupBy != nil || select.limit != nil || select.distinct { wrap(&select) }
                select.orderBy = []
                if summarize.aggregates.contains(where: { $0.function == .argMax || $0.function == .argMin }) {
                    try argExtreme(summarize, &select)
                } else {
                    try aggregate(summarize, into: &select)
                }
            case .project(let items):
                if select.items != nil || select.groupBy != nil { wrap(&select) }
                select.items = try items.map { item throws(WriterError) in try outputItem(item, in: select.input) }
            case .extend(let items):
                if select.items != nil || select.groupBy != nil { wrap(&select) }
                var list = select.input.map { (sql: quote($0.name), column: $0) }
                for item in items {
                    let rendered = try outputItem(item, in: select.input)
                    if let existing = list.firstIndex(where: { $0.column.name == rendered.column.name }) {
                        list[existing] = rendered
                    } else {
                        list.append(rendered)
                    }
                }
                select.items = list
            case .projectAway(let columns):
                if select.items != nil || select.groupBy != nil { wrap(&select) }
                for column in columns where !select.input.contains(where: { $0.name == column.name }) {
                    throw unknownColumn(column, in: select.input)
                }
                let removed = Set(columns.map(\.name))
                select.items = select.input.filter { !removed.contains($0.name) }.map { (quote($0.name), $0) }
            case .distinct(let columns):
                if select.items != nil || select.groupBy != nil || select.limit != nil || select.distinct { wrap(&select) }
                let chosen = columns.isEmpty ? select.input.map { ColumnReference($0.name) } : columns
                select.items = try chosen.map { column throws(WriterError) in
                    guard let schema = select.input.first(where: { $0.name == column.name }) else { throw unknownColumn(column, in: select.input) }
                    return (quote(schema.name), schema)
                }
                select.distinct = true
            case .sort(let keys):
                if select.items != nil || select.limit != nil { wrap(&select) }
                select.orderBy = try keys.map { key throws(WriterError) in try sortKey(key, in: select.input) }
            case .take(let n):
                if select.limit != nil { wrap(&select) }
                select.limit = n
            case .top(let n, let keys):
                if select.items != nil || select.limit != nil { wrap(&select) }
                select.orderBy = try keys.map { key throws(WriterError) in try sortKey(key, in: select.input) }
                select.limit = n
            }
            if usesNow && !nowBefore { select.needsNow = true }
            if let items = select.items {
                guard items.map(\.column.name) == flow.map(\.name) else {
                    throw WriterError("internal: the SQL for '\(op.keyword)' gives the columns \(items.map(\.column.name)), not \(flow.map(\.name))")
                }
                select.items = zip(items, flow).map { item, column in (item.sql, column) }
            }
        }
        return select.render(dialect, nowJoin: nowJoin, final: stepPrefix == "step")
    }

    /// Ends the SELECT being built as a CTE step and starts a new one that reads from it.
    mutating func wrap(_ select: inout SelectBuilder) {
        stepCount += 1
        let name = "\(stepPrefix)\(stepCount)"
        ctes.append((name, select.render(dialect, nowJoin: nowJoin)))
        select = SelectBuilder(from: quote(name), input: select.output)
    }

    private mutating func outputItem(_ item: NamedExpression, in relation: [ColumnSchema]) throws(WriterError) -> (sql: String, column: ColumnSchema) {
        let value = try render(item.expression, in: relation)
        return (output(value), ColumnSchema(name: item.outputName, type: value.type ?? .string))
    }

    private mutating func sortKey(_ key: SortKey, in relation: [ColumnSchema]) throws(WriterError) -> String {
        let value = try render(key.expression, in: relation)
        return fill(dialect.orderKey, [
            "value": value.sql, "direction": key.descending ? "DESC" : "ASC",
            "nulls": key.effectiveNullsFirst ? dialect.nullsFirst : dialect.nullsLast,
        ])
    }

    private mutating func aggregate(_ summarize: Summarize, into select: inout SelectBuilder) throws(WriterError) {
        var items: [(sql: String, column: ColumnSchema)] = []
        var groupBy: [String] = []
        for key in summarize.keys {
            var value = try render(key.expression, in: select.input)
            // KQL has no null strings: a missing one is "" and groups with the empty ones.
            if value.type == .string && !value.isLiteral { value.sql = text(value) }
            groupBy.append(value.sql)
            items.append((output(value), ColumnSchema(name: key.outputName, type: value.type ?? .string)))
        }
        for aggregate in summarize.aggregates {
            items.append(try aggregateItem(aggregate, in: select.input))
        }
        select.items = items
        select.groupBy = groupBy
    }

    private mutating func aggregateItem(_ a: Aggregate, in relation: [ColumnSchema]) throws(WriterError) -> (sql: String, column: ColumnSchema) {
        func argument(_ i: Int) throws(WriterError) -> SQLValue {
            try render(a.arguments[i], in: relation)
        }
        let name = a.outputName
        switch a.function {
        case .count:
            return ("count(*)", ColumnSchema(name: name, type: .long))
        case .countif:
            return (fill(dialect.countIf, ["condition": try boolean(a.arguments[0], in: relation)]), ColumnSchema(name: name, type: .long))
        case .dcount:
            notes.append(WriterNote(.note, "dcount() is an estimate in KQL; the SQL counts distinct values exactly", fidelity: .approximate))
            return ("count(DISTINCT \(try argument(0).sql))", ColumnSchema(name: name, type: .long))
        case .min, .max:
            let value = try argument(0)
            return (output(SQLValue(sql: "\(a.function.rawValue)(\(value.sql))", type: value.type, isInstant: value.isInstant)), ColumnSchema(name: name, type: value.type ?? .string))
        case .makeSet, .makeList:
            let value = try argument(0)
            // KQL strings are never null: a missing string is "" and make_set keeps it.
            let element = value.type == .string && !value.isInstant ? "coalesce(\(value.sql), '')" : output(value)
            if a.arguments.count > 1 {
                notes.append(WriterNote(.warning, "\(a.function.rawValue)(): the size limit \(KQLText.expression(a.arguments[1])) is not applied in SQL", fidelity: .leftOut))
            }
            let template = a.function == .makeSet ? dialect.setAggregate : dialect.listAggregate
            return (fill(template, ["value": element]), ColumnSchema(name: name, type: .dynamic))
        case .argMax, .argMin:
            throw WriterError("\(a.function.rawValue)() mixed with other aggregates is not translated to SQL", at: a.arguments.first?.columns.first?.position)
        }
    }

    /// `summarize arg_max(x, cols...) by keys`: the row with the largest (smallest) x per key,
    /// by ROW_NUMBER() over the group. Rows where x is null take no part, as in KQL.
    private mutating func argExtreme(_ summarize: Summarize, _ select: inout SelectBuilder) throws(WriterError) {
        guard summarize.aggregates.count == 1, let a = summarize.aggregates.first else {
            throw WriterError("arg_max()/arg_min() mixed with other aggregates is not translated to SQL", at: summarize.aggregates.first?.arguments.first?.columns.first?.position)
        }
        let input = select.input
        let ranked = try render(a.arguments[0], in: input)
        let keys = try summarize.keys.map { key throws(WriterError) in (key, try render(key.expression, in: input)) }
        var returned: [ColumnSchema] = []
        let keyNames = Set(summarize.keys.map(\.outputName))
        for argument in a.arguments.dropFirst() {
            if case .column(let c) = argument, c.name == "*" {
                returned += input.filter { !keyNames.contains($0.name) && $0.name != a.outputName && !returned.contains($0) }
            } else if case .column(let c) = argument, let schema = input.first(where: { $0.name == c.name }) {
                if !returned.contains(schema) { returned.append(schema) }
            } else {
                throw WriterError("arg_max()/arg_min() return columns must be column names or *", at: argument.columns.first?.position ?? a.arguments.first?.columns.first?.position)
            }
        }
        let partition = keys.isEmpty ? "" : "PARTITION BY " + keys.map(\.1.sql).joined(separator: ", ") + " "
        let order = (ranked.type == .datetime && !ranked.isInstant ? fill(dialect.instantFromColumn, ["value": ranked.sql]) : ranked.sql) + (a.function == .argMax ? " DESC" : " ASC")
        var rankedItems = input.map { (sql: quote($0.name), column: $0) }
        for (key, value) in keys where !input.contains(where: { $0.name == key.outputName }) {
            rankedItems.append((value.sql, ColumnSchema(name: key.outputName, type: value.type ?? .string)))
        }
        if !input.contains(where: { $0.name == a.outputName }) {
            rankedItems.append((output(ranked), ColumnSchema(name: a.outputName, type: ranked.type ?? .string)))
        }
        rankedItems.append((fill(dialect.rowNumber, ["partition": partition, "order": order]), ColumnSchema(name: "rulepack_row", type: .long)))
        select.filters.append("\(ranked.sql) IS NOT NULL")
        select.items = rankedItems
        wrap(&select)
        select.filters.append(quote("rulepack_row") + " = 1")
        let outputNames = summarize.keys.map(\.outputName) + [a.outputName] + returned.map(\.name)
        select.items = outputNames.compactMap { name in
            select.input.first { $0.name == name }.map { (self.quote($0.name), $0) }
        }
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension SQLDialect {
    public var target: OutputTarget {
        let dialect = self
        return OutputTarget(language: "sql", dialect: name, fileExtension: "sql", summary: summary, options: [.now], engine: engine) { rule, options throws(WriterError) in
            try SQLWriter(dialect: dialect, catalogue: options.catalogue, pinnedNow: options.pinnedNow).write(rule)
        }
    }
}
