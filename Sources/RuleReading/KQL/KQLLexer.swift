import RuleModel

/// Splits KQL text into tokens, with 1-based line and column (in Unicode scalars) on each.
/// Handles every string literal form KQL has: '..' and ".." with backslash escapes, verbatim
/// @'..' and @".." (a doubled quote stands for one), ```..``` multi-line, and the h prefix of
/// obfuscated literals; `//` comments are skipped.
struct KQLLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    /// Operator words that KQL spells with a hyphen.
    private static let hyphenatedWords: Set<String> = [
        "project-away", "project-rename", "project-keep", "project-reorder", "mv-expand", "mv-apply",
        "make-series", "make-graph", "evaluate-", "top-nested", "top-hitters", "parse-where", "parse-kv",
    ]

    private static let twoCharacterSymbols = ["..", "==", "!=", "=~", "!~", "<=", ">=", "<>"].map { ($0, Array($0.unicodeScalars)) }

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokenize(_ text: String) throws(TextError) -> [KQLToken] {
        var lexer = KQLLexer(text)
        var tokens: [KQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let i = index + offset
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func advance() {
        guard index < scalars.count else { return }
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    /// KQL names are letters, digits and `_`; any other name is written ['...'].
    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        return c.properties.isAlphabetic
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || ("0"..."9").contains(c)
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            // ASCII first: Unicode property lookups were a visible part of reading a pack.
            if c.isASCII ? (c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0B}" || c == "\u{0C}") : c.properties.isWhitespace {
                advance()
            } else if c == "/", peek(1) == "/" {
                while let d = peek(), d != "\n" { advance() }
            } else {
                return
            }
        }
    }

    mutating func next() throws(TextError) -> KQLToken {
        skipTrivia()
        let start = position
        guard let c = peek() else { return KQLToken(kind: .end, position: start) }

        if c == "'" || c == "\"" {
            return KQLToken(kind: .string(try quotedString(verbatim: false)), position: start)
        }
        if c == "@", let q = peek(1), q == "'" || q == "\"" {
            advance()
            return KQLToken(kind: .string(try quotedString(verbatim: true)), position: start)
        }
        if c == "`", peek(1) == "`", peek(2) == "`" {
            return KQLToken(kind: .string(try multiLineString()), position: start)
        }
        if c == "h" || c == "H", let q = peek(1), q == "'" || q == "\"" || q == "@" {
            // Obfuscated literal: same value, hidden from logs.
            advance()
            return try next().withPosition(start)
        }
        if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            return try number(start: start)
        }
        if c == "!", let n = peek(1), Self.isIdentifierStart(n) {
            advance()
            let word = identifierText()
            return KQLToken(kind: .negatedIdentifier(word + tildeSuffix(word)), position: start)
        }
        if Self.isIdentifierStart(c) {
            var word = identifierText()
            if peek() == "-", let n = peek(1), Self.isIdentifierStart(n) {
                let save = (index, line, column)
                advance()
                let rest = identifierText()
                if Self.hyphenatedWords.contains(word + "-" + rest) {
                    word += "-" + rest
                } else {
                    (index, line, column) = save
                }
            }
            word += tildeSuffix(word)
            if word == "datetime", let raw = try datetimeArgument() {
                return KQLToken(kind: .datetime(raw), position: start)
            }
            return KQLToken(kind: .identifier(word), position: start)
        }
        for (symbol, chars) in Self.twoCharacterSymbols {
            if c == chars[0], peek(1) == chars[1] {
                advance()
                advance()
                return KQLToken(kind: .symbol(symbol), position: start)
            }
        }
        if "|()[]{},;=<>+-*/%.~!:".unicodeScalars.contains(c) {
            advance()
            return KQLToken(kind: .symbol(String(c)), position: start)
        }
        throw TextError("unexpected character '\(Character(c))'", at: start)
    }

    private mutating func identifierText() -> String {
        var text = ""
        while let c = peek(), Self.isIdentifierPart(c) {
            text.unicodeScalars.append(c)
            advance()
        }
        return text
    }

    /// `in~` and `!in~` carry a tilde.
    private mutating func tildeSuffix(_ word: String) -> String {
        if word == "in", peek() == "~" {
            advance()
            return "~"
        }
        return ""
    }

    /// Reads `(raw)` after `datetime`; nil when no parenthesis follows (then it is a plain name).
    private mutating func datetimeArgument() throws(TextError) -> String? {
        var lookahead = index
        while lookahead < scalars.count, scalars[lookahead] == " " || scalars[lookahead] == "\t" { lookahead += 1 }
        guard lookahead < scalars.count, scalars[lookahead] == "(" else { return nil }
        while index <= lookahead { advance() }
        let open = position
        var raw = ""
        while let c = peek(), c != ")" {
            if c == "\n" { throw TextError("unterminated datetime(...)", at: open) }
            raw.unicodeScalars.append(c)
            advance()
        }
        guard peek() == ")" else { throw TextError("unterminated datetime(...)", at: open) }
        advance()
        var value = raw.trimmingCharacters(in: " \t")
        if let first = value.first, first == "'" || first == "\"", value.count >= 2, value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }

    private mutating func quotedString(verbatim: Bool) throws(TextError) -> String {
        let start = position
        guard let quote = peek() else { throw TextError("unterminated string literal", at: start) }
        advance()
        var value = ""
        while true {
            guard let c = peek() else { throw TextError("unterminated string literal", at: start) }
            if c == "\n" || c == "\r" {
                throw TextError("unterminated string literal (a newline must be written \\n)", at: start)
            }
            let characterPosition = position
            advance()
            if c == quote {
                if verbatim, peek() == quote {
                    advance()
                    value.unicodeScalars.append(quote)
                    continue
                }
                return value
            }
            if c == "\\", !verbatim {
                let escapePosition = characterPosition
                guard let e = peek() else { throw TextError("unterminated string literal", at: start) }
                advance()
                switch e {
                case "n": value += "\n"
                case "t": value += "\t"
                case "r": value += "\r"
                case "\\", "'", "\"": value.unicodeScalars.append(e)
                case "u":
                    var hex = ""
                    for _ in 0..<4 {
                        guard let h = peek(), h.properties.isASCIIHexDigit else {
                            throw TextError("\\u needs four hexadecimal digits", at: escapePosition)
                        }
                        hex.unicodeScalars.append(h)
                        advance()
                    }
                    guard let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        throw TextError("\\u\(hex) is not a character", at: escapePosition)
                    }
                    value.unicodeScalars.append(scalar)
                default:
                    throw TextError("unknown escape '\\\(Character(e))' in string literal", at: escapePosition)
                }
                continue
            }
            value.unicodeScalars.append(c)
        }
    }

    private mutating func multiLineString() throws(TextError) -> String {
        let start = position
        for _ in 0..<3 { advance() }
        var value = ""
        while true {
            guard let c = peek() else { throw TextError("unterminated ``` string literal", at: start) }
            if c == "`", peek(1) == "`", peek(2) == "`" {
                for _ in 0..<3 { advance() }
                return value
            }
            value.unicodeScalars.append(c)
            advance()
        }
    }

    private mutating func number(start: SourcePosition) throws(TextError) -> KQLToken {
        var text = ""
        var isReal = false
        while let c = peek(), ("0"..."9").contains(c) {
            text.unicodeScalars.append(c)
            advance()
        }
        if peek() == ".", peek(1) != ".", let n = peek(1), ("0"..."9").contains(n) {
            isReal = true
            text += "."
            advance()
            while let c = peek(), ("0"..."9").contains(c) {
                text.unicodeScalars.append(c)
                advance()
            }
        }
        if let e = peek(), e == "e" || e == "E",
           let n = peek(1), ("0"..."9").contains(n) || ((n == "+" || n == "-") && peek(2).map { ("0"..."9").contains($0) } == true) {
            isReal = true
            text.unicodeScalars.append(e)
            advance()
            text.unicodeScalars.append(n)
            advance()
            while let c = peek(), ("0"..."9").contains(c) {
                text.unicodeScalars.append(c)
                advance()
            }
        }
        if let c = peek(), Self.isIdentifierStart(c) {
            let unitStart = position
            let unit = identifierText()
            guard let ticksPerUnit = Self.timespanUnits[unit.lowercased()], let magnitude = Double(text) else {
                throw TextError("'\(text)\(unit)' is not a number or a timespan (units: d, h, m, s, ms, microsecond, tick)", at: unitStart)
            }
            let ticks = (magnitude * Double(ticksPerUnit)).rounded()
            guard abs(ticks) < 9.2e18 else { throw TextError("timespan '\(text)\(unit)' is out of range", at: start) }
            return KQLToken(kind: .timespan(Timespan(ticks: Int64(ticks))), position: start)
        }
        if isReal {
            guard let value = Double(text) else { throw TextError("bad number '\(text)'", at: start) }
            // Past the double range the value would be infinity, which no KQL literal spells.
            guard value.isFinite else { throw TextError("number '\(text)' is out of range", at: start) }
            return KQLToken(kind: .real(value), position: start)
        }
        guard let value = Int64(text) else { throw TextError("number '\(text)' is out of range", at: start) }
        return KQLToken(kind: .long(value), position: start)
    }

    private static let timespanUnits: [String: Int64] = {
        var units: [String: Int64] = [:]
        let spellings: [(TimespanUnit, [String])] = [
            (.d, ["d", "day", "days"]),
            (.h, ["h", "hr", "hrs", "hour", "hours"]),
            (.m, ["m", "min", "minute", "minutes"]),
            (.s, ["s", "sec", "second", "seconds"]),
            (.ms, ["ms", "milli", "millis", "millisecond", "milliseconds"]),
            (.microsecond, ["micro", "micros", "microsecond", "microseconds"]),
            (.tick, ["tick", "ticks"]),
        ]
        for (unit, names) in spellings {
            for name in names { units[name] = unit.ticks }
        }
        return units
    }()
}

private extension KQLToken {
    func withPosition(_ position: SourcePosition) -> KQLToken {
        KQLToken(kind: kind, position: position)
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
