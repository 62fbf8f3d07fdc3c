import RuleModel

/// Reads the KQL dialect that rule catalogues use into a `Detection`.
/// Anything outside that dialect is an error that names the construct and where it stands;
/// nothing is skipped silently. Positions are within the query text; `SentinelRuleReader`
/// moves them to the rule file.
public struct KQLParser {
    /// The pipeline operators rulepack reads, for messages.
    public static let supportedOperators = ["where", "summarize", "project", "project-away", "extend", "distinct", "take", "limit", "sort by", "order by", "top"]

    var tokens: [KQLToken]
    var index = 0
    var lets: [LetStatement] = []
    let knownTables: Set<String>
    /// How deep expressions nest; bounded so hostile input gets an error, not a stack overflow.
    var depth = 0
    static let maximumDepth = 64

    /// Parses a whole query: `let` statements, then one tabular expression.
    public static func parse(_ query: String, knownTables: Set<String> = Set(SchemaCatalogue.defender.tables.keys)) throws(TextError) -> Detection {
        var parser = KQLParser(tokens: try KQLLexer.tokenize(query), knownTables: knownTables)
        return try parser.query()
    }

    init(tokens: [KQLToken], knownTables: Set<String>) {
        self.tokens = tokens
        self.knownTables = knownTables
    }

    // MARK: - Token helpers

    var current: KQLToken { tokens[index] }
    var nextToken: KQLToken { tokens[min(index + 1, tokens.count - 1)] }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    mutating func take(symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        advance()
        return true
    }

    mutating func take(word: String) -> Bool {
        guard current.isWord(word) else { return false }
        advance()
        return true
    }

    mutating func expect(symbol: String, _ context: String) throws(TextError) {
        guard take(symbol: symbol) else {
            throw TextError("expected '\(symbol)' \(context), found \(current.display)", at: current.position)
        }
    }

    mutating func expectName(_ what: String) throws(TextError) -> (String, SourcePosition) {
        if case .identifier(let name) = current.kind {
            let position = current.position
            advance()
            return (name, position)
        }
        // ['Column name'] quoting.
        if current.isSymbol("["), case .string(let name) = nextToken.kind {
            let position = current.position
            advance()
            advance()
            try expect(symbol: "]", "to close a quoted name")
            return (name, position)
        }
        throw TextError("expected \(what), found \(current.display)", at: current.position)
    }

    // MARK: - Statements

    mutating func query() throws(TextError) -> Detection {
        while current.isWord("let") {
            let letPosition = current.position
            advance()
            let (name, _) = try expectName("a name after 'let'")
            try expect(symbol: "=", "after 'let \(name)'")
            if lets.contains(where: { $0.name == name }) {
                throw TextError("'\(name)' is bound twice by let", at: letPosition)
            }
            let value = try letValue()
            lets.append(LetStatement(name: name, value: value))
            guard take(symbol: ";") else {
                throw TextError("expected ';' to end 'let \(name)', found \(current.display)", at: current.position)
            }
        }
        if current.kind == .end {
            throw TextError("the query has no tabular expression (a table and its pipeline)", at: current.position)
        }
        let tabular = try tabularExpression()
        _ = take(symbol: ";")
        if current.kind != .end {
            if current.isWord("let") {
                throw TextError("a 'let' after the tabular expression is not supported", at: current.position)
            }
            throw TextError("unexpected \(current.display) after the end of the query", at: current.position)
        }
        return Detection(lets: lets, source: tabular.source, operators: tabular.operators)
    }

    func isTabularName(_ name: String) -> Bool {
        knownTables.contains(name) || lets.contains { $0.name == name && { if case .tabular = $0.value { true } else { false } }($0) }
    }

    mutating func letValue() throws(TextError) -> LetValue {
        if case .identifier(let name) = current.kind, nextToken.isSymbol("|") || (isTabularName(name) && !lets.contains(where: { $0.name == name })) {
            return .tabular(try tabularExpression())
        }
        if case .identifier(let name) = current.kind, ["datatable", "union", "materialize", "toscalar", "view"].contains(name) {
            throw TextError("unsupported KQL construct '\(name)' in let", at: current.position)
        }
        return .scalar(try expression())
    }

    mutating func tabularExpression() throws(TextError) -> TabularExpression {
        let (name, position) = try expectName("a table name")
        if ["union", "datatable", "print", "range", "search", "find", "externaldata", "evaluate"].contains(name) {
            throw TextError("unsupported KQL construct '\(name)' (rulepack reads a single table and its pipeline)", at: position)
        }
        if lets.contains(where: { $0.name == name }) {
            throw TextError("a let-bound name ('\(name)') as the source of the query is not supported; name the table", at: position)
        }
        var operators: [QueryOperator] = []
        while take(symbol: "|") {
            operators.append(try pipelineOperator())
        }
        return TabularExpression(source: TableReference(name, at: position), operators: operators)
    }

    // MARK: - Pipeline operators

    mutating func pipelineOperator() throws(TextError) -> QueryOperator {
        let keywordToken = current
        guard let keyword = keywordToken.identifier else {
            throw TextError("expected a query operator after '|', found \(current.display)", at: current.position)
        }
        advance()
        switch keyword {
        case "where", "filter":
            return .filter(try expression())
        case "summarize":
            return .summarize(try summarize())
        case "project":
            return .project(try namedExpressions(requireName: false))
        case "extend":
            return .extend(try namedExpressions(requireName: false))
        case "project-away":
            return .projectAway(try columnList())
        case "distinct":
            if take(symbol: "*") { return .distinct([]) }
            return .distinct(try columnList())
        case "take", "limit":
            return .take(try count(after: keyword))
        case "sort", "order":
            guard take(word: "by") else { throw TextError("expected 'by' after '\(keyword)'", at: current.position) }
            return .sort(try sortKeys())
        case "top":
            let n = try count(after: "top")
            guard take(word: "by") else { throw TextError("expected 'by' after 'top \(n)'", at: current.position) }
            return .top(n, by: try sortKeys())
        default:
            throw TextError(
                "unsupported KQL operator '\(keyword)' (rulepack reads \(Self.supportedOperators.joined(separator: ", ")))",
                at: keywordToken.position
            )
        }
    }

    mutating func count(after keyword: String) throws(TextError) -> Int64 {
        guard case .long(let n) = current.kind, n >= 0 else {
            throw TextError("expected a row count after '\(keyword)', found \(current.display)", at: current.position)
        }
        advance()
        return n
    }

    mutating func columnList() throws(TextError) -> [ColumnReference] {
        var columns: [ColumnReference] = []
        repeat {
            let (name, position) = try expectName("a column name")
            columns.append(ColumnReference(name, at: position))
        } while take(symbol: ",")
        return columns
    }

    mutating func namedExpressions(requireName: Bool) throws(TextError) -> [NamedExpression] {
        var items: [NamedExpression] = []
        repeat {
            items.append(try namedExpression())
        } while take(symbol: ",")
        return items
    }

    mutating func namedExpression() throws(TextError) -> NamedExpression {
        if let name = takeAssignedName() {
            return NamedExpression(name: name, try expression())
        }
        return NamedExpression(try expression())
    }

    /// `name =` or `['name'] =` before an expression: the name, with both tokens taken.
    mutating func takeAssignedName() -> String? {
        if case .identifier(let name) = current.kind, nextToken.isSymbol("=") {
            advance()
            advance()
            return name
        }
        if current.isSymbol("["), index + 3 < tokens.count, case .string(let name) = tokens[index + 1].kind,
           tokens[index + 2].isSymbol("]"), tokens[index + 3].isSymbol("=") {
            for _ in 0..<4 { advance() }
            return name
        }
        return nil
    }

    mutating func sortKeys() throws(TextError) -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            var key = SortKey(try expression())
            if take(word: "asc") { key.descending = false } else if take(word: "desc") { key.descending = true }
            if take(word: "nulls") {
                if take(word: "first") { key.nullsFirst = true } else if take(word: "last") { key.nullsFirst = false } else {
                    throw TextError("expected 'first' or 'last' after 'nulls'", at: current.position)
                }
            }
            keys.append(key)
        } while take(symbol: ",")
        return keys
    }

    mutating func summarize() throws(TextError) -> Summarize {
        var aggregates: [Aggregate] = []
        if !current.isWord("by") {
            repeat {
                aggregates.append(try aggregate())
            } while take(symbol: ",")
        }
        var keys: [NamedExpression] = []
        if take(word: "by") {
            repeat {
                keys.append(try namedExpression())
            } while take(symbol: ",")
        }
        if aggregates.isEmpty && keys.isEmpty {
            throw TextError("'summarize' needs an aggregate or a 'by' clause", at: current.position)
        }
        return Summarize(aggregates: aggregates, keys: keys)
    }

    mutating func aggregate() throws(TextError) -> Aggregate {
        let name = takeAssignedName()
        let functionToken = current
        guard let functionName = functionToken.identifier, nextToken.isSymbol("(") else {
            throw TextError("expected an aggregation function such as count() or make_set(...), found \(current.display)", at: current.position)
        }
        guard let function = Aggregate.Function(rawValue: functionName) else {
            let known = Aggregate.Function.allCases.map(\.rawValue).joined(separator: ", ")
            throw TextError("unsupported aggregation function '\(functionName)' (rulepack reads \(known))", at: functionToken.position)
        }
        advance()
        advance()
        var arguments: [QueryExpression] = []
        if !current.isSymbol(")") {
            repeat {
                if current.isSymbol("*"), function == .argMax || function == .argMin {
                    arguments.append(.column(ColumnReference("*", at: current.position)))
                    advance()
                } else {
                    arguments.append(try expression())
                }
            } while take(symbol: ",")
        }
        try expect(symbol: ")", "to close \(functionName)(")
        let arity: ClosedRange<Int> = switch function {
        case .count: 0...0
        case .countif, .min, .max: 1...1
        case .dcount, .makeSet, .makeList: 1...2
        case .argMax, .argMin: 2...64
        }
        guard arity.contains(arguments.count) else {
            throw TextError("\(functionName)() takes \(arity.lowerBound == arity.upperBound ? "\(arity.lowerBound)" : "\(arity.lowerBound) to \(arity.upperBound)") argument(s), not \(arguments.count)", at: functionToken.position)
        }
        return Aggregate(name: name, function, arguments)
    }
}
