import RuleModel

/// Parses the exclusion language of false-positive scenarios:
/// `field == "value"`, `field != "value"`, AND, OR, NOT (any case) and parentheses.
/// Values are double- or single-quoted, with backslash escaping the quote and itself.
public enum FilterParser {
    private enum Token: Equatable {
        case word(String)
        case string(String)
        case symbol(String)
        case end
    }

    public static func parse(_ text: String) throws(TextError) -> FilterExpression {
        let tokens = try tokenize(text)
        var index = 0
        func current() -> (Token, SourcePosition) { tokens[index] }
        func advance() { if index < tokens.count - 1 { index += 1 } }

        func isKeyword(_ token: Token, _ keyword: String) -> Bool {
            if case .word(let w) = token { return w.uppercased() == keyword }
            return false
        }

        /// `operand (KEYWORD operand)*`, one item or combined.
        func chain(_ keyword: String, _ operand: () throws(TextError) -> FilterExpression, _ combine: ([FilterExpression]) -> FilterExpression) throws(TextError) -> FilterExpression {
            var items = [try operand()]
            while isKeyword(current().0, keyword) {
                advance()
                items.append(try operand())
            }
            return items.count == 1 ? items[0] : combine(items)
        }

        func disjunction() throws(TextError) -> FilterExpression {
            try chain("OR", conjunction, FilterExpression.or)
        }

        func conjunction() throws(TextError) -> FilterExpression {
            try chain("AND", unary, FilterExpression.and)
        }

        func unary() throws(TextError) -> FilterExpression {
            let (token, position) = current()
            if isKeyword(token, "NOT") {
                advance()
                return .not(try unary())
            }
            if token == .symbol("(") {
                advance()
                let inner = try disjunction()
                guard current().0 == .symbol(")") else { throw TextError("expected ')'", at: current().1) }
                advance()
                return inner
            }
            guard case .word(let field) = token else {
                throw TextError("expected a field name, found \(describe(token))", at: position)
            }
            advance()
            let (opToken, opPosition) = current()
            let negated: Bool
            switch opToken {
            case .symbol("=="): negated = false
            case .symbol("!="): negated = true
            default: throw TextError("expected '==' or '!=' after '\(field)', found \(describe(opToken))", at: opPosition)
            }
            advance()
            let (valueToken, valuePosition) = current()
            guard case .string(let value) = valueToken else {
                throw TextError("expected a quoted value, found \(describe(valueToken))", at: valuePosition)
            }
            advance()
            return .comparison(field: field, negated: negated, value: value, position: position)
        }

        let result = try disjunction()
        if current().0 != .end {
            throw TextError("unexpected \(describe(current().0)) (join comparisons with AND or OR)", at: current().1)
        }
        return result
    }

    private static func describe(_ token: Token) -> String {
        switch token {
        case .word(let w): "'\(w)'"
        case .string(let s): "\"\(s)\""
        case .symbol(let s): "'\(s)'"
        case .end: "end of filter"
        }
    }

    private static func tokenize(_ text: String) throws(TextError) -> [(Token, SourcePosition)] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [(Token, SourcePosition)] = []
        var i = 0
        var line = 1, column = 1
        func step() {
            if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        func isWordScalar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "." || c == "-"
        }
        while i < scalars.count {
            let c = scalars[i]
            let position = SourcePosition(line: line, column: column)
            if c.properties.isWhitespace { step(); continue }
            if c == "\"" || c == "'" {
                step()
                var value = ""
                var closed = false
                while i < scalars.count {
                    let d = scalars[i]
                    step()
                    if d == c { closed = true; break }
                    if d == "\\", i < scalars.count {
                        value.unicodeScalars.append(scalars[i])
                        step()
                        continue
                    }
                    value.unicodeScalars.append(d)
                }
                guard closed else { throw TextError("unterminated quoted value", at: position) }
                tokens.append((.string(value), position))
                continue
            }
            if (c == "=" || c == "!"), i + 1 < scalars.count, scalars[i + 1] == "=" {
                step(); step()
                tokens.append((.symbol(c == "=" ? "==" : "!="), position))
                continue
            }
            if c == "(" || c == ")" {
                step()
                tokens.append((.symbol(String(c)), position))
                continue
            }
            if isWordScalar(c) {
                var word = ""
                while i < scalars.count, isWordScalar(scalars[i]) {
                    word.unicodeScalars.append(scalars[i])
                    step()
                }
                tokens.append((.word(word), position))
                continue
            }
            throw TextError("unexpected character '\(Character(c))' in filter", at: position)
        }
        tokens.append((.end, SourcePosition(line: line, column: column)))
        return tokens
    }
}
