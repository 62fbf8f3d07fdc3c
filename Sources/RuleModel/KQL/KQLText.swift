/// The KQL text of the model's values: expressions, operators, literals, identifiers and whole
/// queries. The KQL reader reads exactly this text back, and every writer and check that shows
/// a piece of a query in a message uses it, so there is one spelling of KQL in the code.
public enum KQLText {
    /// Text on one line (for comments and message headers).
    public static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The query text of a detection.
    public static func query(_ detection: Detection, comments: [String: String] = [:]) -> String {
        var lines: [String] = []
        for statement in detection.lets {
            switch statement.value {
            case .scalar(let value):
                lines.append("let \(identifier(statement.name)) = \(expression(value));")
            case .tabular(let tabular):
                lines.append("let \(identifier(statement.name)) = \(pipeline(tabular.source, tabular.operators, comments: [:]).joined(separator: "\n    "));")
            }
        }
        lines += pipeline(detection.source, detection.operators, comments: comments)
        return lines.joined(separator: "\n")
    }

    public static func pipeline(_ source: TableReference, _ operators: [QueryOperator], comments: [String: String]) -> [String] {
        var lines = [identifier(source.name)]
        for op in operators {
            if case .filter(let predicate) = op, let comment = comments[expression(predicate)] {
                lines.append("// \(comment)")
            }
            lines.append("| " + queryOperator(op))
        }
        return lines
    }

    public static func queryOperator(_ op: QueryOperator) -> String {
        switch op {
        case .filter(let predicate):
            return "where " + expression(predicate)
        case .summarize(let s):
            var text = "summarize"
            if !s.aggregates.isEmpty {
                text += " " + s.aggregates.map(aggregate).joined(separator: ", ")
            }
            if !s.keys.isEmpty {
                text += " by " + s.keys.map(named).joined(separator: ", ")
            }
            return text
        case .project(let items):
            return "project " + items.map(named).joined(separator: ", ")
        case .extend(let items):
            return "extend " + items.map(named).joined(separator: ", ")
        case .projectAway(let columns):
            return "project-away " + columns.map { identifier($0.name) }.joined(separator: ", ")
        case .distinct(let columns):
            return "distinct " + (columns.isEmpty ? "*" : columns.map { identifier($0.name) }.joined(separator: ", "))
        case .take(let n):
            return "take \(n)"
        case .sort(let keys):
            return "sort by " + keys.map(sortKey).joined(separator: ", ")
        case .top(let n, let keys):
            return "top \(n) by " + keys.map(sortKey).joined(separator: ", ")
        }
    }

    public static func aggregate(_ a: Aggregate) -> String {
        let call = a.function.rawValue + "(" + a.arguments.map { argument in
            if case .column(let c) = argument, c.name == "*" { return "*" }
            return expression(argument)
        }.joined(separator: ", ") + ")"
        return a.name.map { identifier($0) + " = " + call } ?? call
    }

    public static func named(_ item: NamedExpression) -> String {
        let value = expression(item.expression)
        return item.name.map { identifier($0) + " = " + value } ?? value
    }

    public static func sortKey(_ key: SortKey) -> String {
        var text = expression(key.expression) + (key.descending ? " desc" : " asc")
        if let nullsFirst = key.nullsFirst { text += nullsFirst ? " nulls first" : " nulls last" }
        return text
    }

    // MARK: - Expressions

    /// Binding strength, loosest first; a child looser than its context is parenthesised.
    private enum Precedence: Int, Comparable {
        case or, and, predicate, additive, multiplicative, unary, primary
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private static func precedence(_ e: QueryExpression) -> Precedence {
        switch e {
        case .or: .or
        case .and: .and
        case .stringPredicate, .list, .between, .comparison: .predicate
        case .arithmetic(let op, _, _): op == .add || op == .subtract ? .additive : .multiplicative
        case .long(let n) where n < 0: .unary
        case .real(let x) where x < 0: .unary
        case .timespan(let t) where t.ticks < 0: .unary
        default: .primary
        }
    }

    private static func wrap(_ e: QueryExpression, atLeast needed: Precedence) -> String {
        let text = expression(e)
        return precedence(e) < needed ? "(" + text + ")" : text
    }

    public static func expression(_ e: QueryExpression) -> String {
        switch e {
        case .column(let c): return identifier(c.name)
        case .letReference(let name): return identifier(name)
        case .string(let s): return stringLiteral(s)
        case .long(let n): return String(n)
        case .real(let x):
            let text = String(x)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .bool(let b): return b ? "true" : "false"
        case .timespan(let t): return timespan(t)
        case .datetime(let raw): return "datetime(\(raw))"
        case .now(let offset): return "now(" + (offset.map(timespan) ?? "") + ")"
        case .ago(let span): return "ago(\(timespan(span)))"
        case .dynamicArray(let items): return "dynamic([" + items.map(expression).joined(separator: ", ") + "])"
        case .stringPredicate(let p):
            let spelling = KQLSpelling.spelling(of: p) ?? "=="
            return wrap(p.subject, atLeast: .additive) + " " + spelling + " " + wrap(p.needle, atLeast: .additive)
        case .list(let p):
            let (spelling, wrapInNot) = KQLSpelling.spelling(of: p) ?? ("in", false)
            let values: String = switch p.values {
            case .literals(let items): items.map(expression).joined(separator: ", ")
            case .tabularLet(let name): identifier(name)
            }
            let text = wrap(p.subject, atLeast: .additive) + " " + spelling + " (" + values + ")"
            return wrapInNot ? "not(" + text + ")" : text
        case .between(let subject, let low, let high, let negated):
            return wrap(subject, atLeast: .additive) + (negated ? " !between (" : " between (") + expression(low) + " .. " + expression(high) + ")"
        case .comparison(let op, let l, let r):
            return wrap(l, atLeast: .additive) + " " + op.rawValue + " " + wrap(r, atLeast: .additive)
        case .arithmetic(let op, let l, let r):
            let level: Precedence = op == .add || op == .subtract ? .additive : .multiplicative
            // Left-associative: the right side needs one level tighter.
            let right = precedence(r) <= level ? "(" + expression(r) + ")" : expression(r)
            return wrap(l, atLeast: level) + " " + op.rawValue + " " + right
        case .function(let f, let args):
            return f.rawValue + "(" + args.map(expression).joined(separator: ", ") + ")"
        case .and(let items):
            return items.map { wrap($0, atLeast: .predicate) }.joined(separator: " and ")
        case .or(let items):
            return items.map { wrap($0, atLeast: .and) }.joined(separator: " or ")
        case .not(let inner):
            return "not(" + expression(inner) + ")"
        }
    }

    public static func timespan(_ t: Timespan) -> String {
        let (value, unit) = t.largestExactUnit
        return "\(value)\(unit.rawValue)"
    }

    /// A KQL string literal: single-quoted, with backslash escapes for the quote, the backslash,
    /// tab, newline and return (KQL literals cannot hold a raw newline or return).
    public static func stringLiteral(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // KQL documents no escape for other control characters, and a quoted literal may hold
            // them as they are (duckdb-kql ignores `\u`), so they are written raw.
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    private static let keywords: Set<String> = [
        "and", "or", "not", "let", "by", "asc", "desc", "true", "false", "between", "in", "has", "contains",
        "startswith", "endswith", "where", "summarize", "project", "extend", "take", "limit", "sort", "order", "top", "distinct", "nulls", "first", "last",
    ]

    public static func identifier(_ name: String) -> String {
        // ASCII letters answered without a Unicode property lookup: every column name of
        // every rule passes through here.
        func isLetter(_ c: Unicode.Scalar) -> Bool {
            c.isASCII ? ("a"..."z").contains(c) || ("A"..."Z").contains(c) : c.properties.isAlphabetic
        }
        let scalars = Array(name.unicodeScalars)
        let simple = !scalars.isEmpty
            && (scalars[0] == "_" || isLetter(scalars[0]))
            && scalars.allSatisfy { $0 == "_" || isLetter($0) || ("0"..."9").contains($0) }
        return simple && !keywords.contains(name) ? name : "[" + stringLiteral(name) + "]"
    }
}
