import RuleModel

/// Expressions: precedence climbing from `or` down to literals, function calls and lists,
/// with a depth bound so hostile nesting is an error at its position.
extension KQLParser {

    mutating func expression() throws(TextError) -> QueryExpression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw TextError("expressions nest more than \(Self.maximumDepth) deep", at: current.position)
        }
        var items = [try conjunction()]
        while take(word: "or") { items.append(try conjunction()) }
        return items.count == 1 ? items[0] : .or(items)
    }

    mutating func conjunction() throws(TextError) -> QueryExpression {
        var items = [try predicate()]
        while take(word: "and") { items.append(try predicate()) }
        return items.count == 1 ? items[0] : .and(items)
    }

    mutating func predicate() throws(TextError) -> QueryExpression {
        let subject = try additive()
        let operatorToken = current
        switch operatorToken.kind {
        case .symbol(let symbol) where ["==", "!=", "=~", "!~"].contains(symbol):
            advance()
            guard let op = KQLSpelling.stringOperator(symbol) else { return subject }
            return .stringPredicate(StringPredicate(subject, op.match, try additive(), caseSensitive: op.caseSensitive, negated: op.negated))
        case .symbol("<>"):
            advance()
            return .stringPredicate(StringPredicate(subject, .equals, try additive(), caseSensitive: true, negated: true))
        case .symbol(let symbol) where ComparisonOperator(rawValue: symbol) != nil:
            advance()
            return .comparison(ComparisonOperator(rawValue: symbol) ?? .less, subject, try additive())
        case .identifier(let word), .negatedIdentifier(let word):
            let negated: Bool = if case .negatedIdentifier = operatorToken.kind { true } else { false }
            let spelling = (negated ? "!" : "") + word
            if let op = KQLSpelling.stringOperator(spelling) {
                advance()
                return .stringPredicate(StringPredicate(subject, op.match, try additive(), caseSensitive: op.caseSensitive, negated: op.negated))
            }
            if let op = KQLSpelling.listOperator(spelling) {
                advance()
                let values = try listValues(for: spelling)
                return .list(ListPredicate(subject, op.match, op.quantifier, values, caseSensitive: op.caseSensitive, negated: op.negated))
            }
            if word == "between" {
                advance()
                try expect(symbol: "(", "after 'between'")
                let low = try additive()
                try expect(symbol: "..", "between the bounds of 'between'")
                let high = try additive()
                try expect(symbol: ")", "to close 'between'")
                return .between(subject: subject, low: low, high: high, negated: negated)
            }
            if negated || Self.unsupportedOperatorWords.contains(word) {
                throw TextError("unsupported KQL operator '\(spelling)'", at: operatorToken.position)
            }
            return subject
        default:
            return subject
        }
    }

    /// Operator words KQL has that rulepack does not read; named in the error rather than
    /// reported as a confusing syntax error.
    static let unsupportedOperatorWords: Set<String> = [
        "matches", "hasprefix", "hasprefix_cs", "hassuffix", "hassuffix_cs", "has_any_cs", "has_all_cs",
        "contains_any", "like", "notcontains", "notcontains_cs", "notin", "in_cs",
    ]

    mutating func listValues(for spelling: String) throws(TextError) -> ListValues {
        try expect(symbol: "(", "after '\(spelling)'")
        if case .identifier(let name) = current.kind, nextToken.isSymbol(")"),
           lets.contains(where: { $0.name == name && { if case .tabular = $0.value { true } else { false } }($0) }) {
            advance()
            advance()
            return .tabularLet(name)
        }
        var values: [QueryExpression] = []
        if !current.isSymbol(")") {
            repeat {
                values.append(try additive())
            } while take(symbol: ",")
        }
        try expect(symbol: ")", "to close the list of '\(spelling)'")
        return .literals(values)
    }

    mutating func additive() throws(TextError) -> QueryExpression {
        var left = try multiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" {
            advance()
            left = .arithmetic(s == "+" ? .add : .subtract, left, try multiplicative())
        }
        return left
    }

    mutating func multiplicative() throws(TextError) -> QueryExpression {
        var left = try unary()
        while case .symbol(let s) = current.kind, let op = ArithmeticOperator(rawValue: s), op != .add, op != .subtract {
            advance()
            left = .arithmetic(op, left, try unary())
        }
        return left
    }

    mutating func unary() throws(TextError) -> QueryExpression {
        guard current.isSymbol("-") || current.isSymbol("+") else { return try primary() }
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw TextError("expressions nest more than \(Self.maximumDepth) deep", at: current.position)
        }
        if take(symbol: "+") { return try unary() }
        advance()
        switch try unary() {
        case .long(let n): return .long(-n)
        case .real(let x): return .real(-x)
        case .timespan(let t): return .timespan(-t)
        case let other: return .arithmetic(.subtract, .long(0), other)
        }
    }

    /// The literal a number, timespan or datetime token stands for.
    static func literal(_ kind: KQLToken.Kind) -> QueryExpression? {
        switch kind {
        case .long(let n): .long(n)
        case .real(let x): .real(x)
        case .timespan(let t): .timespan(t)
        case .datetime(let raw): .datetime(raw)
        default: nil
        }
    }

    mutating func primary() throws(TextError) -> QueryExpression {
        let token = current
        if let literal = Self.literal(token.kind) {
            advance()
            return literal
        }
        switch token.kind {
        case .string(var value):
            advance()
            // Adjacent literals concatenate.
            while case .string(let more) = current.kind {
                value += more
                advance()
            }
            return .string(value)
        case .symbol("("):
            advance()
            let inner = try expression()
            try expect(symbol: ")", "to close '('")
            return inner
        case .symbol("["):
            let (name, position) = try expectName("a column name")
            return .column(ColumnReference(name, at: position))
        case .identifier(let name):
            if nextToken.isSymbol("(") {
                return try call(name, at: token.position)
            }
            advance()
            switch name {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: break
            }
            if lets.contains(where: { $0.name == name }) {
                if case .tabular? = lets.first(where: { $0.name == name })?.value {
                    throw TextError("tabular let '\(name)' used as a scalar; use it with in (...) or has_any (...)", at: token.position)
                }
                return .letReference(name)
            }
            return .column(ColumnReference(name, at: token.position))
        case .end:
            throw TextError("the query ends where an expression was expected", at: token.position)
        default:
            throw TextError("expected an expression, found \(token.display)", at: token.position)
        }
    }

    mutating func call(_ name: String, at position: SourcePosition) throws(TextError) -> QueryExpression {
        advance()
        advance()
        var arguments: [QueryExpression] = []
        if name == "dynamic" {
            try expect(symbol: "[", "in dynamic([...]) (only arrays are supported)")
            if !current.isSymbol("]") {
                repeat {
                    arguments.append(try additive())
                } while take(symbol: ",")
            }
            try expect(symbol: "]", "to close the dynamic array")
            try expect(symbol: ")", "to close dynamic(")
            return .dynamicArray(arguments)
        }
        if !current.isSymbol(")") {
            repeat {
                arguments.append(try expression())
            } while take(symbol: ",")
        }
        try expect(symbol: ")", "to close \(name)(")
        func timespanArgument() throws(TextError) -> Timespan {
            guard arguments.count == 1, case .timespan(let span) = arguments[0] else {
                throw TextError("\(name)() takes one timespan literal such as 5d", at: position)
            }
            return span
        }
        switch name {
        case "now":
            if arguments.isEmpty { return .now(offset: nil) }
            return .now(offset: try timespanArgument())
        case "ago":
            return .ago(try timespanArgument())
        case "not":
            guard arguments.count == 1 else { throw TextError("not() takes one argument", at: position) }
            return .not(arguments[0])
        default:
            guard let function = ScalarFunction(rawValue: name) else {
                if Aggregate.Function(rawValue: name) != nil {
                    throw TextError("aggregation function '\(name)' is only allowed in summarize", at: position)
                }
                throw TextError("unsupported KQL function '\(name)'", at: position)
            }
            guard arguments.count == 1 else { throw TextError("\(name)() takes one argument", at: position) }
            return .function(function, arguments)
        }
    }
}
