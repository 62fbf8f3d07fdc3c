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
        guard let pinnedNow else {
            var d = dialect
            d.nowCTE = d.nowCTE.map { fill($0, "'now'") }
            return d
        }
        var d = dialect
        let literal = try dialect.quoteString(try SQLRenderContext.isoDatetime(pinnedNow))
        if let cte = d.nowCTE {
            d.nowCTE = fill(cte, literal)
        } else {
            d.nowInstant = fill(d.instantFromLiteral, literal)
        }
        return d
    }

    public func write(_ rule: Rule) throws(WriterError) -> Translation {
        var notes = rule.exclusionNotes(catalogue: catalogue)
        let (sql, queryNotes) = try query(rule.effectiveDetection(catalogue: catalogue))
        notes += queryNotes
        var header: [String] = []
        if let name = rule.metadata.name { header.append("-- \(KQLText.singleLine(name))") }
        if let id = rule.metadata.id { header.append("-- id: \(KQLText.singleLine(id))") }
        header.append("-- translated from KQL by rulepack (dialect: \(dialect.name.rawValue))")
        for note in notes { header.append("-- \(note.severity.rawValue): \(KQLText.singleLine(note.message))") }
        return Translation(text: header.joined(separator: "\n") + "\n" + sql + ";\n", notes: notes)
    }

    /// The SELECT statement for a detection, and notes on what it could not carry exactly.
    public func query(_ detection: Detection) throws(WriterError) -> (String, [WriterNote]) {
        let dialect = try effectiveDialect()
        var context = SQLRenderContext(dialect: dialect, catalogue: catalogue, detection: detection)
        let main = try context.pipeline(source: detection.source, operators: detection.operators, stepPrefix: "step")
        var ctes: [(String, String)] = []
        if context.usesNow, let nowCTE = dialect.nowCTE {
            ctes.append((dialect.identifier("query_now") + " AS MATERIALIZED", nowCTE))
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
        lines.append("FROM " + from + (needsNow && nowJoin != nil ? " CROSS JOIN " + (nowJoin ?? "") : ""))
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
            lines.append("LIMIT \(limit)")
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

    var nowJoin: String? { dialect.nowCTE == nil ? nil : dialect.identifier("query_now") }

    // MARK: - Pipeline

    mutating func pipeline(source: TableReference, operators: [QueryOperator], stepPrefix: String) throws(WriterError) -> String {
        guard let table = catalogue.table(named: source.name) else {
            throw WriterError("unknown table '\(source.name)': the SQL writer needs its columns (known tables: \(catalogue.tables.keys.sorted().joined(separator: ", ")))", at: source.position)
        }
        var select = SelectBuilder(from: quote(table.name), input: table.columns)
        self.stepPrefix = stepPrefix
        for op in operators {
            let nowBefore = usesNow
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
        return value.sql + (key.descending ? " DESC" : " ASC") + (key.effectiveNullsFirst ? " NULLS FIRST" : " NULLS LAST")
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
            return ("count(*) FILTER (WHERE \(try boolean(a.arguments[0], in: relation)))", ColumnSchema(name: name, type: .long))
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
            return (fill(template, element), ColumnSchema(name: name, type: .dynamic))
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
        let order = (ranked.type == .datetime && !ranked.isInstant ? fill(dialect.instantFromColumn, ranked.sql) : ranked.sql) + (a.function == .argMax ? " DESC" : " ASC")
        var rankedItems = input.map { (sql: quote($0.name), column: $0) }
        for (key, value) in keys where !input.contains(where: { $0.name == key.outputName }) {
            rankedItems.append((value.sql, ColumnSchema(name: key.outputName, type: value.type ?? .string)))
        }
        if !input.contains(where: { $0.name == a.outputName }) {
            rankedItems.append((output(ranked), ColumnSchema(name: a.outputName, type: ranked.type ?? .string)))
        }
        rankedItems.append(("ROW_NUMBER() OVER (\(partition)ORDER BY \(order))", ColumnSchema(name: "rulepack_row", type: .long)))
        select.filters.append("\(ranked.sql) IS NOT NULL")
        select.items = rankedItems
        wrap(&select)
        select.filters.append(quote("rulepack_row") + " = 1")
        let outputNames = summarize.keys.map(\.outputName) + [a.outputName] + returned.map(\.name)
        select.items = outputNames.compactMap { name in
            select.input.first { $0.name == name }.map { (self.quote($0.name), $0) }
        }
    }

    // MARK: - Expressions

    func unknownColumn(_ column: ColumnReference, in relation: [ColumnSchema]) -> WriterError {
        let hint = Suggestion.hint(for: column.name, among: relation.map(\.name))
        return WriterError("column '\(column.name)' does not exist here\(hint); the SQL would fail or, in SQLite, silently read it as a string", at: column.position)
    }

    func output(_ value: SQLValue) -> String {
        value.isInstant ? fill(dialect.instantToOutput, value.sql) : value.sql
    }

    func instant(_ value: SQLValue) -> String {
        if value.isInstant { return value.sql }
        if value.type == .string { return fill(dialect.instantFromLiteral, value.sql) }
        return fill(dialect.instantFromColumn, value.sql)
    }

    /// A value as text that is never null, as KQL strings are.
    func text(_ value: SQLValue) -> String {
        switch value.type {
        case .string?: value.isLiteral ? value.sql : "coalesce(\(value.sql), '')"
        default: "coalesce(\(fill(dialect.toText, output(value))), '')"
        }
    }

    mutating func boolean(_ e: QueryExpression, in relation: [ColumnSchema]) throws(WriterError) -> String {
        try render(e, in: relation).sql
    }

    func resolved(_ e: QueryExpression) -> QueryExpression { detection.resolvingScalarLets(e) }

    mutating func render(_ e: QueryExpression, in relation: [ColumnSchema]) throws(WriterError) -> SQLValue {
        switch e {
        case .column(let c):
            guard let schema = relation.first(where: { $0.name == c.name }) else { throw unknownColumn(c, in: relation) }
            return SQLValue(sql: quote(schema.name), type: schema.type)
        case .letReference(let name):
            guard let value = detection.scalarLet(named: name) else {
                throw WriterError("'\(name)' is a tabular let; use it with in (...)")
            }
            return try render(value, in: relation)
        case .string(let s):
            return SQLValue(sql: try dialect.quoteString(s), type: .string, isLiteral: true)
        case .long(let n):
            return SQLValue(sql: String(n), type: .long)
        case .real(let x):
            let text = String(x)
            return SQLValue(sql: text.contains(".") || text.contains("e") ? text : text + ".0", type: .real)
        case .bool(let b):
            return SQLValue(sql: b ? dialect.trueLiteral : dialect.falseLiteral, type: .bool)
        case .timespan:
            throw WriterError("a timespan value outside date arithmetic is not translated to SQL")
        case .datetime(let raw):
            return SQLValue(sql: fill(dialect.instantFromLiteral, try dialect.quoteString(try Self.isoDatetime(raw))), type: .datetime, isInstant: true)
        case .now(let offset):
            usesNow = true
            guard let offset, offset.ticks != 0 else { return SQLValue(sql: dialect.nowInstant, type: .datetime, isInstant: true) }
            return SQLValue(sql: fill(dialect.shiftInstant, dialect.nowInstant, dialect.span(offset)), type: .datetime, isInstant: true)
        case .ago(let span):
            return try render(.now(offset: -span), in: relation)
        case .dynamicArray:
            throw WriterError("dynamic([...]) is translated only as the list of in (...) or has_any (...)")
        case .arithmetic(let op, let l, let r):
            return try arithmetic(op, l, r, in: relation)
        case .comparison(let op, let l, let r):
            var left = try render(l, in: relation)
            var right = try render(r, in: relation)
            if left.type == .datetime || right.type == .datetime {
                left = SQLValue(sql: instant(left), type: .datetime, isInstant: true)
                right = SQLValue(sql: instant(right), type: .datetime, isInstant: true)
            }
            return SQLValue(sql: "\(left.sql) \(op.rawValue) \(right.sql)", type: .bool)
        case .between(let subject, let low, let high, let negated):
            let s = try render(subject, in: relation)
            let lowValue = try render(low, in: relation)
            var highSQL: String
            if case .timespan(let span) = resolved(high) {
                highSQL = fill(dialect.shiftInstant, instant(lowValue), dialect.span(span))
            } else {
                let highValue = try render(high, in: relation)
                highSQL = s.type == .datetime || highValue.type == .datetime ? instant(highValue) : highValue.sql
            }
            let isTime = s.type == .datetime || lowValue.type == .datetime
            let subjectSQL = isTime ? instant(s) : s.sql
            let lowSQL = isTime ? instant(lowValue) : lowValue.sql
            if !isTime, case .timespan = resolved(high) { highSQL = "(\(lowSQL) + \(highSQL))" }
            return SQLValue(sql: "\(subjectSQL) \(negated ? "NOT BETWEEN" : "BETWEEN") \(lowSQL) AND \(highSQL)", type: .bool)
        case .stringPredicate(let p):
            return SQLValue(sql: try stringPredicate(p, in: relation), type: .bool)
        case .list(let p):
            return SQLValue(sql: try listPredicate(p, in: relation), type: .bool)
        case .function(let f, let args):
            let value = try render(args[0], in: relation)
            let isString = value.type == .string
            let sql: String = switch f {
            case .isempty: isString ? "\(text(value)) = ''" : "\(value.sql) IS NULL"
            case .isnotempty: isString ? "\(text(value)) <> ''" : "\(value.sql) IS NOT NULL"
            case .isnull: isString ? dialect.falseLiteral : "\(value.sql) IS NULL"
            case .isnotnull: isString ? dialect.trueLiteral : "\(value.sql) IS NOT NULL"
            case .tolower: "lower(\(text(value)))"
            case .toupper: "upper(\(text(value)))"
            case .strlen: fill(dialect.lengthFunction, text(value))
            }
            let type: ColumnType = switch f {
            case .tolower, .toupper: .string
            case .strlen: .long
            default: .bool
            }
            return SQLValue(sql: sql, type: type)
        case .and(let items):
            return SQLValue(sql: try items.map { item throws(WriterError) in try operand(item, in: relation, looserThan: .and) }.joined(separator: " AND "), type: .bool)
        case .or(let items):
            return SQLValue(sql: try items.map { item throws(WriterError) in try operand(item, in: relation, looserThan: .or) }.joined(separator: " OR "), type: .bool)
        case .not(let inner):
            return SQLValue(sql: "NOT " + (try operand(inner, in: relation, looserThan: .not)), type: .bool)
        }
    }

    /// How loosely a boolean expression's SQL binds; a child looser than its parent gets parentheses.
    enum BooleanLevel: Int { case or, and, not, atom }

    static func level(of e: QueryExpression) -> BooleanLevel {
        switch e {
        case .or(let items): items.count > 1 ? .or : .atom
        case .and(let items): items.count > 1 ? .and : .atom
        case .not: .not
        // Rendered as `NOT (...)` or a comparison: wrap when inside anything.
        case .stringPredicate, .list, .between, .comparison, .function: .not
        default: .atom
        }
    }

    mutating func operand(_ e: QueryExpression, in relation: [ColumnSchema], looserThan parent: BooleanLevel) throws(WriterError) -> String {
        let sql = try boolean(e, in: relation)
        if sql.hasPrefix("(") && sql.hasSuffix(")") && Self.balancedOuterParentheses(sql) { return sql }
        return Self.level(of: e).rawValue <= parent.rawValue || Self.level(of: e) == .not ? "(" + sql + ")" : sql
    }

    /// Whether the first "(" closes at the last character, so the text is already one unit.
    static func balancedOuterParentheses(_ sql: String) -> Bool {
        var depth = 0
        var inString = false
        for (offset, c) in sql.enumerated() {
            if c == "'" { inString.toggle() }
            if inString { continue }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth == 0 && offset != sql.count - 1 { return false }
            }
        }
        return depth == 0
    }

    private mutating func arithmetic(_ op: ArithmeticOperator, _ l: QueryExpression, _ r: QueryExpression, in relation: [ColumnSchema]) throws(WriterError) -> SQLValue {
        let left = try render(l, in: relation)
        if left.type == .datetime, op == .add || op == .subtract, case .timespan(let span) = resolved(r) {
            let shift = op == .add ? span : -span
            return SQLValue(sql: fill(dialect.shiftInstant, instant(left), dialect.span(shift)), type: .datetime, isInstant: true)
        }
        let right = try render(r, in: relation)
        let numeric: Set<ColumnType> = [.long, .int, .real]
        guard let lt = left.type, let rt = right.type, numeric.contains(lt), numeric.contains(rt) else {
            throw WriterError("arithmetic '\(op.rawValue)' on these operands is not translated to SQL (numbers, and datetime ± timespan literal, are)", at: (l.columns + r.columns).first?.position)
        }
        return SQLValue(sql: "(\(left.sql) \(op.rawValue) \(right.sql))", type: lt == .real || rt == .real ? .real : .long)
    }

    /// ISO-8601 UTC text for a KQL datetime literal (which is UTC when it names no zone).
    static func isoDatetime(_ raw: String) throws(WriterError) -> String {
        var text = raw.trimmingCharacters(in: .whitespaces)
        guard let first = text.first, first.isNumber else {
            throw WriterError("datetime(\(raw)) is not an ISO-8601 date and time")
        }
        if !text.contains("T") && !text.contains(" ") { text += "T00:00:00" }
        text = text.replacingOccurrences(of: " ", with: "T")
        let timePart = text.split(separator: "T").last ?? ""
        if !(text.hasSuffix("Z") || timePart.contains("+") || timePart.contains("-")) { text += "Z" }
        return text
    }

    // MARK: - String predicates

    /// A string predicate's needle as literal text, when it is one (through lets).
    func literalText(_ e: QueryExpression) -> String? {
        if case .string(let s) = resolved(e) { return s }
        return nil
    }

    /// Lower-cases like the target: the needle of a case-insensitive match is folded once, here.
    func folded(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            let lower = scalar.properties.lowercaseMapping.unicodeScalars
            return lower.count == 1 ? lower.first ?? scalar : scalar
        }))
    }

    /// The haystack folded for comparison with folded needles. SQLite's lower() folds ASCII only,
    /// so the needles' own non-ASCII letters are folded with replace() first.
    func foldedHaystack(_ haystack: String, needles: [String]) throws(WriterError) -> String {
        var sql = haystack
        if !dialect.lowerFoldsUnicode {
            var seen: Set<Unicode.Scalar> = []
            for scalar in needles.joined().unicodeScalars where !scalar.isASCII {
                let lower = folded(String(scalar))
                for variant in [scalar.properties.uppercaseMapping, scalar.properties.titlecaseMapping, String(scalar)] {
                    guard variant.unicodeScalars.count == 1, let v = variant.unicodeScalars.first, v != lower.unicodeScalars.first, !seen.contains(v) else { continue }
                    seen.insert(v)
                    sql = "replace(\(sql), \(try dialect.quoteString(String(v))), \(try dialect.quoteString(lower)))"
                }
            }
        }
        return "lower(\(sql))"
    }

    mutating func stringPredicate(_ p: StringPredicate, in relation: [ColumnSchema]) throws(WriterError) -> String {
        let subject = try render(p.subject, in: relation)
        let positive: String
        if p.match == .equals, literalText(p.needle) == nil {
            // Column against column (or number against number): compare the values themselves.
            let needle = try render(p.needle, in: relation)
            if subject.type != .string && needle.type != .string {
                let both = subject.type == .datetime || needle.type == .datetime
                let l = both ? instant(subject) : subject.sql, r = both ? instant(needle) : needle.sql
                return "\(l) \(p.negated ? "<>" : "=") \(r)"
            }
            if p.caseSensitive {
                positive = "\(text(subject)) = \(text(needle))"
            } else {
                if !dialect.lowerFoldsUnicode {
                    notes.append(WriterNote(.note, "case-insensitive comparison of two columns folds ASCII letters only in \(dialect.name.rawValue)", fidelity: .approximate))
                }
                positive = "lower(\(text(subject))) = lower(\(text(needle)))"
            }
        } else {
            guard let needle = literalText(p.needle) else {
                throw WriterError("'\(KQLSpelling.spelling(of: p) ?? "")' with a needle that is not a string literal is not translated to SQL", at: p.subject.columns.first?.position)
            }
            positive = try match(text(subject), p.match, needle, caseSensitive: p.caseSensitive)
        }
        return p.negated ? "NOT (\(positive))" : positive
    }

    mutating func listPredicate(_ p: ListPredicate, in relation: [ColumnSchema]) throws(WriterError) -> String {
        let subject = try render(p.subject, in: relation)
        let positive: String
        switch p.values {
        case .tabularLet(let name):
            guard p.match == .equals else {
                throw WriterError("has_any/has_all over a tabular let is not translated to SQL", at: p.subject.columns.first?.position)
            }
            let column = try tabularLetColumn(name)
            let inner = quote(column.name)
            positive = p.caseSensitive
                ? "\(text(subject)) IN (SELECT \(inner) FROM \(quote(name)))"
                : "lower(\(text(subject))) IN (SELECT lower(\(inner)) FROM \(quote(name)))"
        case .literals(let items):
            var values: [QueryExpression] = []
            for item in items {
                if case .dynamicArray(let elements) = resolved(item) { values += elements.map(resolved) } else { values.append(resolved(item)) }
            }
            let strings = values.compactMap { if case .string(let s) = $0 { s } else { nil } }
            if p.match == .equals && strings.count < values.count {
                // Numbers, bools: plain IN.
                guard strings.isEmpty else { throw WriterError("a list mixing strings and other values is not translated to SQL", at: p.subject.columns.first?.position) }
                let rendered = try values.map { v throws(WriterError) in try render(v, in: relation).sql }
                positive = rendered.isEmpty ? dialect.falseLiteral : "\(subject.sql) IN (\(rendered.joined(separator: ", ")))"
                return p.negated ? "NOT (\(positive))" : positive
            }
            guard strings.count == values.count else {
                throw WriterError("\(KQLSpelling.spelling(of: p)?.spelling ?? "has_any") takes string needles in SQL", at: p.subject.columns.first?.position)
            }
            let haystack = text(subject)
            switch p.match {
            case .equals:
                if strings.isEmpty {
                    positive = dialect.falseLiteral
                } else if p.caseSensitive {
                    positive = "\(haystack) IN (\(try strings.map { s throws(WriterError) in try dialect.quoteString(s) }.joined(separator: ", ")))"
                } else {
                    positive = "\(try foldedHaystack(haystack, needles: strings)) IN (\(try strings.map { s throws(WriterError) in try dialect.quoteString(folded(s)) }.joined(separator: ", ")))"
                }
            default:
                let parts = try strings.map { s throws(WriterError) in try match(haystack, p.match, s, caseSensitive: p.caseSensitive) }
                if parts.isEmpty {
                    positive = p.quantifier == .any ? dialect.falseLiteral : dialect.trueLiteral
                } else if parts.count == 1 {
                    positive = parts[0]
                } else {
                    positive = "(" + parts.map { "(\($0))" }.joined(separator: p.quantifier == .any ? " OR " : " AND ") + ")"
                }
            }
        }
        return p.negated ? "NOT (\(positive))" : positive
    }

    mutating func tabularLetColumn(_ name: String) throws(WriterError) -> ColumnSchema {
        if tabularColumns[name] == nil {
            guard let tabular = detection.tabularLet(named: name) else { throw WriterError("'\(name)' is not a tabular let") }
            var inner = SQLRenderContext(dialect: dialect, catalogue: catalogue, detection: detection)
            let sql = try inner.pipeline(source: tabular.source, operators: tabular.operators, stepPrefix: name + "_step")
            ctes += inner.ctes
            ctes.append((name, sql))
            notes += inner.notes
            usesNow = usesNow || inner.usesNow
            tabularColumns[name] = try Self.outputColumns(of: tabular, catalogue: catalogue, context: inner)
        }
        guard let columns = tabularColumns[name], columns.count == 1, let column = columns.first else {
            throw WriterError("tabular let '\(name)' used in in (...) must return exactly one column (end it with project or distinct)")
        }
        return column
    }

    static func outputColumns(of tabular: TabularExpression, catalogue: SchemaCatalogue, context: SQLRenderContext) throws(WriterError) -> [ColumnSchema] {
        // Re-render cheaply to learn the final relation: the last operator that names columns decides.
        guard var columns = catalogue.table(named: tabular.source.name)?.columns else { return [] }
        for op in tabular.operators {
            switch op {
            case .project(let items): columns = items.map { item in ColumnSchema(name: item.outputName, type: columns.first { $0.name == item.outputName }?.type ?? .string) }
            case .distinct(let cs) where !cs.isEmpty: columns = cs.map { c in columns.first { $0.name == c.name } ?? ColumnSchema(name: c.name, type: .string) }
            case .summarize(let s): columns = s.keys.map { ColumnSchema(name: $0.outputName, type: .string) } + s.aggregates.map { ColumnSchema(name: $0.outputName, type: .long) }
            case .projectAway(let cs): columns.removeAll { c in cs.contains { $0.name == c.name } }
            default: break
            }
        }
        return columns
    }

    /// One string test against a literal needle, with KQL's exact meaning.
    mutating func match(_ haystack: String, _ kind: StringMatch, _ needle: String, caseSensitive: Bool) throws(WriterError) -> String {
        // An empty needle matches every string, for every operator but equality.
        if needle.isEmpty && kind != .equals { return dialect.trueLiteral }
        let h = caseSensitive ? haystack : try foldedHaystack(haystack, needles: [needle])
        let n = caseSensitive ? needle : folded(needle)
        let quoted = try dialect.quoteString(n)
        let length = String(n.unicodeScalars.count)
        switch kind {
        case .equals: return "\(h) = \(quoted)"
        case .contains: return fill(dialect.containsTemplate, h, quoted)
        case .startsWith: return fill(dialect.startsWithTemplate, h, quoted, length)
        case .endsWith: return fill(dialect.endsWithTemplate, h, quoted, length)
        case .has: return try termMatch(haystack: haystack, foldedHaystack: h, needle: needle, foldedNeedle: n, caseSensitive: caseSensitive)
        }
    }

    /// SQLite: true when the one-character text {0} is no term character, or is empty (an end).
    /// Exact for ASCII, Latin-1 and General Punctuation; other non-ASCII characters count as
    /// letters, which is right for the letters of other scripts (see README).
    static let sqliteSeparatorTest: String = {
        let latin1TermCharacters = (0x80...0xBF).filter { Unicode.Scalar($0).map(KQLTerms.isTermCharacter) ?? false }.map(String.init)
        return "({0} = '' OR NOT ({0} GLOB '[A-Za-z0-9]' OR unicode({0}) IN (\(latin1TermCharacters.joined(separator: ", "))) OR (unicode({0}) > 191 AND unicode({0}) NOT IN (215, 247) AND unicode({0}) NOT BETWEEN 8192 AND 8303)))"
    }()

    mutating func termMatch(haystack: String, foldedHaystack h: String, needle: String, foldedNeedle n: String, caseSensitive: Bool) throws(WriterError) -> String {
        guard let (leftBoundary, rightBoundary) = KQLTerms.boundaries(of: needle) else { return dialect.trueLiteral }
        // A needle with punctuation at both ends is a plain substring match.
        if !leftBoundary && !rightBoundary {
            return fill(dialect.containsTemplate, h, try dialect.quoteString(n))
        }
        switch dialect.termMatch {
        case .regex(let ci, let cs, let nonTerm, let flag):
            var pattern = (leftBoundary ? "(^|\(nonTerm))" : "") + KQLTerms.regexEscaped(needle) + (rightBoundary ? "($|\(nonTerm))" : "")
            if !caseSensitive, let flag { pattern = flag + pattern }
            let template = caseSensitive || flag != nil ? cs : ci
            return fill(template, haystack, try dialect.quoteString(pattern))
        case .occurrenceScan:
            // The cheap instr() test first; the scan only runs for rows that contain the needle.
            let quoted = try dialect.quoteString(n)
            let length = n.unicodeScalars.count
            var conditions: [String] = []
            if leftBoundary { conditions.append(fill(Self.sqliteSeparatorTest, "\"before\"")) }
            if rightBoundary { conditions.append(fill(Self.sqliteSeparatorTest, "\"after\"")) }
            return "(instr(\(h), \(quoted)) > 0 AND EXISTS (WITH RECURSIVE \"occurrence\"(\"h\", \"at\") AS ("
                + "SELECT \"h\", instr(\"h\", \(quoted)) FROM (SELECT \(h) AS \"h\") UNION ALL "
                + "SELECT \"h\", \"at\" + instr(substr(\"h\", \"at\" + 1), \(quoted)) FROM \"occurrence\" WHERE instr(substr(\"h\", \"at\" + 1), \(quoted)) > 0) "
                + "SELECT 1 FROM (SELECT substr(\"h\", \"at\" - 1, 1) AS \"before\", substr(\"h\", \"at\" + \(length), 1) AS \"after\" FROM \"occurrence\") "
                + "WHERE " + conditions.joined(separator: " AND ") + "))"
        }
    }
}
