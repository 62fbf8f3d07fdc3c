import RuleModel

/// A SQL dialect as data: the tokens and templates one renderer (`SQLWriter`) walks.
/// Templates use `{0}`, `{1}`, ... for their operands. Escaping lives in `quoteString`, one
/// function per dialect, and every string that reaches SQL goes through it.
public struct SQLDialect: Sendable {
    public enum Name: String, Sendable, CaseIterable { case sqlite, postgres, duckdb, spark }

    /// How KQL's term match (`has`) is expressed.
    public enum TermMatch: Sendable {
        /// Scan every occurrence with a recursive CTE over `instr` and test its neighbours.
        case occurrenceScan
        /// One regular expression: {0} the haystack, {1} the quoted pattern. `nonTerm` is the
        /// class of characters that end a term; `caseInsensitiveFlag`, when set, is prefixed to
        /// the pattern instead of using the case-insensitive template.
        case regex(caseInsensitive: String, caseSensitive: String, nonTerm: String, caseInsensitiveFlag: String?)
    }

    public var name: Name
    /// The character that quotes identifiers (doubled inside them).
    public var identifierQuote: String
    public var trueLiteral: String
    public var falseLiteral: String
    public var quoteString: @Sendable (String) throws(WriterError) -> String
    /// A datetime column's value as a comparable instant.
    public var instantFromColumn: String
    /// A `datetime(...)` literal (ISO-8601 UTC text in {0}, already quoted) as an instant.
    public var instantFromLiteral: String
    /// An instant turned back into the column form, for output.
    public var instantToOutput: String
    /// `now()` as an instant; a `query_now` CTE holds it when `nowCTE` is set so it is one
    /// instant for the whole statement, as KQL defines it ({0} in `nowCTE`: the engine's 'now'
    /// or a pinned timestamp).
    public var nowInstant: String
    public var nowCTE: String?
    /// {0} instant shifted by the span literal {1}.
    public var shiftInstant: String
    /// A timespan as the dialect writes it; {0} is `spanText` ("-5 days", "1.5 seconds").
    public var spanLiteral: String
    /// Whether `lower()` folds non-ASCII letters; when not, the needle's own letters are folded
    /// with `replace()`, which is exact because only they can take part in a match.
    public var lowerFoldsUnicode: Bool
    public var termMatch: TermMatch
    public var containsTemplate: String
    public var startsWithTemplate: String
    public var endsWithTemplate: String
    public var lengthFunction: String
    public var toText: String
    public var setAggregate: String
    public var listAggregate: String
}

extension SQLDialect {
    public static let sqlite = SQLDialect(
        name: .sqlite,
        identifierQuote: "\"",
        trueLiteral: "1",
        falseLiteral: "0",
        quoteString: sqliteString,
        instantFromColumn: "julianday({0})",
        instantFromLiteral: "julianday({0})",
        instantToOutput: "strftime('%Y-%m-%dT%H:%M:%fZ', {0})",
        nowInstant: "\"query_now\".\"instant\"",
        nowCTE: "SELECT julianday({0}) AS \"instant\"",
        shiftInstant: "julianday({0}, {1})",
        // A date-function modifier: '<n> days|hours|minutes|seconds'.
        spanLiteral: "'{0}'",
        lowerFoldsUnicode: false,
        termMatch: .occurrenceScan,
        containsTemplate: "instr({0}, {1}) > 0",
        startsWithTemplate: "substr({0}, 1, {2}) = {1}",
        endsWithTemplate: "substr({0}, -{2}) = {1}",
        lengthFunction: "length({0})",
        toText: "CAST({0} AS TEXT)",
        setAggregate: "json_group_array(DISTINCT {0}) FILTER (WHERE {0} IS NOT NULL)",
        listAggregate: "json_group_array({0}) FILTER (WHERE {0} IS NOT NULL)"
    )

    public static let postgres = SQLDialect(
        name: .postgres,
        identifierQuote: "\"",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: postgresString,
        instantFromColumn: "{0}",
        instantFromLiteral: "CAST({0} AS timestamptz)",
        instantToOutput: "{0}",
        nowInstant: "now()",
        nowCTE: nil,
        shiftInstant: "({0} + {1})",
        spanLiteral: "interval '{0}'",
        lowerFoldsUnicode: true,
        termMatch: .regex(caseInsensitive: "{0} ~* {1}", caseSensitive: "{0} ~ {1}", nonTerm: "[^[:alnum:]]", caseInsensitiveFlag: nil),
        containsTemplate: "strpos({0}, {1}) > 0",
        startsWithTemplate: "left({0}, {2}) = {1}",
        endsWithTemplate: "right({0}, {2}) = {1}",
        lengthFunction: "char_length({0})",
        toText: "CAST({0} AS text)",
        setAggregate: "coalesce(array_agg(DISTINCT {0}) FILTER (WHERE {0} IS NOT NULL), '{}')",
        listAggregate: "coalesce(array_agg({0}) FILTER (WHERE {0} IS NOT NULL), '{}')"
    )

    /// DuckDB: TIMESTAMPTZ datetimes (what its CSV reader infers from Defender's format), RE2
    /// regular expressions, lists for sets.
    public static let duckdb = SQLDialect(
        name: .duckdb,
        identifierQuote: "\"",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: standardString,
        instantFromColumn: "{0}",
        instantFromLiteral: "CAST({0} AS TIMESTAMPTZ)",
        instantToOutput: "{0}",
        nowInstant: "now()",
        nowCTE: nil,
        shiftInstant: "({0} + {1})",
        spanLiteral: "INTERVAL '{0}'",
        lowerFoldsUnicode: true,
        termMatch: .regex(caseInsensitive: "regexp_matches({0}, {1}, 'i')", caseSensitive: "regexp_matches({0}, {1})", nonTerm: "[^\\pL\\pN]", caseInsensitiveFlag: nil),
        containsTemplate: "strpos({0}, {1}) > 0",
        startsWithTemplate: "left({0}, {2}) = {1}",
        endsWithTemplate: "right({0}, {2}) = {1}",
        lengthFunction: "length({0})",
        toText: "CAST({0} AS VARCHAR)",
        setAggregate: "coalesce(list(DISTINCT {0}) FILTER (WHERE {0} IS NOT NULL), [])",
        listAggregate: "coalesce(list({0}) FILTER (WHERE {0} IS NOT NULL), [])"
    )

    /// Spark SQL (Spark 3+, Databricks): TIMESTAMP datetimes in a UTC session, backtick
    /// identifiers, backslash escapes in strings, Java regular expressions.
    public static let spark = SQLDialect(
        name: .spark,
        identifierQuote: "`",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: sparkString,
        instantFromColumn: "{0}",
        instantFromLiteral: "CAST({0} AS TIMESTAMP)",
        instantToOutput: "{0}",
        nowInstant: "current_timestamp()",
        nowCTE: nil,
        shiftInstant: "({0} + {1})",
        spanLiteral: "INTERVAL '{0}'",
        lowerFoldsUnicode: true,
        // Java folds only ASCII under (?i); (?iu) folds Unicode, as KQL does.
        termMatch: .regex(caseInsensitive: "{0} RLIKE {1}", caseSensitive: "{0} RLIKE {1}", nonTerm: "[^\\p{L}\\p{N}]", caseInsensitiveFlag: "(?iu)"),
        containsTemplate: "instr({0}, {1}) > 0",
        startsWithTemplate: "left({0}, {2}) = {1}",
        endsWithTemplate: "right({0}, {2}) = {1}",
        lengthFunction: "char_length({0})",
        toText: "CAST({0} AS STRING)",
        setAggregate: "collect_set({0})",
        listAggregate: "collect_list({0})"
    )

    public static func named(_ name: Name) -> SQLDialect {
        switch name {
        case .sqlite: .sqlite
        case .postgres: .postgres
        case .duckdb: .duckdb
        case .spark: .spark
        }
    }

    /// An identifier, quoted.
    public func identifier(_ name: String) -> String {
        identifierQuote + name.replacingOccurrences(of: identifierQuote, with: identifierQuote + identifierQuote) + identifierQuote
    }

    /// A standard SQL string literal (quotes doubled, backslash literal), for DuckDB.
    @Sendable static func standardString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "the NUL character cannot be matched in SQL strings:")
        return doublingQuotes(s)
    }

    /// Spark reads backslash escapes in string literals: the backslash and the quote are escaped.
    @Sendable static func sparkString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "the NUL character cannot be matched in SQL strings:")
        return "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// SQLite string literal: quotes doubled. SQLite's string functions (length, instr, substr)
    /// stop at a NUL, so a needle holding one could not be matched exactly: it is refused.
    @Sendable static func sqliteString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "SQLite string functions stop at the NUL character in")
        return doublingQuotes(s)
    }

    /// PostgreSQL string literal. A backslash makes it an E'' literal with backslashes doubled,
    /// which reads the same whatever `standard_conforming_strings` is set to. PostgreSQL text
    /// cannot hold NUL at all.
    @Sendable static func postgresString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "PostgreSQL text cannot hold the NUL character in")
        if s.contains("\\") {
            return "E'" + s.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\\", with: "\\\\") + "'"
        }
        return doublingQuotes(s)
    }

    /// No dialect can match a NUL exactly; each says why, followed by the literal in KQL.
    static func refuseNUL(in s: String, _ reason: String) throws(WriterError) {
        if s.unicodeScalars.contains("\u{0}") {
            throw WriterError("\(reason) \(KQLText.stringLiteral(s))")
        }
    }

    static func doublingQuotes(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A span as a count of the largest exact unit both dialects name: "-5 days", "2 hours",
    /// "30 minutes", or (fractional) seconds.
    static func spanText(_ span: Timespan) -> String {
        let (value, unit) = span.largestExactUnit
        switch unit {
        case .d: return "\(value) days"
        case .h: return "\(value) hours"
        case .m: return "\(value) minutes"
        default:
            let whole = span.ticks / Timespan.ticksPerSecond
            let fraction = abs(span.ticks % Timespan.ticksPerSecond)
            if fraction == 0 { return "\(whole) seconds" }
            var digits = String(fraction)
            digits = String(repeating: "0", count: 7 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            let sign = span.ticks < 0 && whole == 0 ? "-" : ""
            return "\(sign)\(whole).\(digits) seconds"
        }
    }

    func span(_ span: Timespan) -> String {
        fill(spanLiteral, Self.spanText(span))
    }
}

/// Fills `{0}`, `{1}`, ... in a dialect template in one pass, so operand text (which may hold
/// braces of its own) is never rescanned.
func fill(_ template: String, _ operands: String...) -> String {
    var result = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
        result += rest[..<open]
        let afterOpen = rest.index(after: open)
        if let close = rest[afterOpen...].firstIndex(of: "}"), let i = Int(rest[afterOpen..<close]), operands.indices.contains(i) {
            result += operands[i]
            rest = rest[rest.index(after: close)...]
        } else {
            result += "{"
            rest = rest[afterOpen...]
        }
    }
    return result + rest
}
