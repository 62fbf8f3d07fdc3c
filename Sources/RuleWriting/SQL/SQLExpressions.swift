import RuleModel
import Support

/// Scalar and boolean expressions in SQL: columns, literals, instants, arithmetic, and the
/// parentheses a condition needs.
extension SQLRenderContext {

    func unknownColumn(_ column: ColumnReference, in relation: [ColumnSchema]) -> WriterError {
        let hint = Suggestion.hint(for: column.name, among: relation.map(\.name))
        return WriterError("column '\(column.name)' does not exist here\(hint); the SQL would fail or, in SQLite, silently read it as a string", at: column.position)
    }

    func output(_ value: SQLValue) -> String {
        value.isInstant ? fill(dialect.instantToOutput, ["instant": value.sql]) : value.sql
    }

    func instant(_ value: SQLValue) -> String {
        if value.isInstant { return value.sql }
        if value.type == .string { return fill(dialect.instantFromLiteral, ["value": value.sql]) }
        return fill(dialect.instantFromColumn, ["value": value.sql])
    }

    /// A value as text that is never null, as KQL strings are.
    func text(_ value: SQLValue) -> String {
        switch value.type {
        case .string?: value.isLiteral ? value.sql : "coalesce(\(value.sql), '')"
        default: "coalesce(\(fill(dialect.toText, ["value": output(value)])), '')"
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
            return SQLValue(sql: fill(dialect.instantFromLiteral, ["value": try dialect.quoteString(try Self.isoDatetime(raw))]), type: .datetime, isInstant: true)
        case .now(let offset):
            usesNow = true
            guard let offset, offset.ticks != 0 else { return SQLValue(sql: dialect.nowInstant, type: .datetime, isInstant: true) }
            return SQLValue(sql: fill(dialect.shiftInstant, ["instant": dialect.nowInstant, "span": dialect.span(offset)]), type: .datetime, isInstant: true)
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
                highSQL = fill(dialect.shiftInstant, ["instant": instant(lowValue), "span": dialect.span(span)])
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
            if (f == .tolower || f == .toupper), !dialect.lowerFoldsUnicode {
                notes.append(WriterNote(.note, "\(f.rawValue)() changes the case of ASCII letters only in \(dialect.name); other letters keep theirs", fidelity: .approximate))
            }
            let sql: String = switch f {
            case .isempty: isString ? "\(text(value)) = ''" : "\(value.sql) IS NULL"
            case .isnotempty: isString ? "\(text(value)) <> ''" : "\(value.sql) IS NOT NULL"
            case .isnull: isString ? dialect.falseLiteral : "\(value.sql) IS NULL"
            case .isnotnull: isString ? dialect.trueLiteral : "\(value.sql) IS NOT NULL"
            case .tolower: "lower(\(text(value)))"
            case .toupper: "upper(\(text(value)))"
            case .strlen: fill(dialect.lengthFunction, ["value": text(value)])
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
        let bytes = sql.utf8
        let last = bytes.count - 1
        for (offset, c) in bytes.enumerated() {
            if c == UInt8(ascii: "'") { inString.toggle() }
            if inString { continue }
            if c == UInt8(ascii: "(") { depth += 1 }
            if c == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 && offset != last { return false }
            }
        }
        return depth == 0
    }

    private mutating func arithmetic(_ op: ArithmeticOperator, _ l: QueryExpression, _ r: QueryExpression, in relation: [ColumnSchema]) throws(WriterError) -> SQLValue {
        let left = try render(l, in: relation)
        if left.type == .datetime, op == .add || op == .subtract, case .timespan(let span) = resolved(r) {
            let shift = op == .add ? span : -span
            return SQLValue(sql: fill(dialect.shiftInstant, ["instant": instant(left), "span": dialect.span(shift)]), type: .datetime, isInstant: true)
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
}
