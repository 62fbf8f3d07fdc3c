import RuleModel

/// A SQL dialect as data: the tokens and templates one renderer (`SQLWriter`) walks. Every row
/// is in `SQLDialects.swift`, and `SQLDialect.all` lists them; a new dialect is a new row there.
///
/// Templates name their operands in braces, `substr({haystack}, 1, {length}) = {needle}`, and
/// are filled in one pass (`fill`). Escaping lives in `quoteString`, one function per dialect,
/// and every string that reaches SQL goes through it.
public struct SQLDialect: Sendable {
    /// How KQL's term match (`has`) is expressed.
    public enum TermMatch: Sendable {
        /// One regular expression. Templates take {haystack} and {pattern} (quoted); `nonTerm`
        /// is the class of characters that end a term; `caseInsensitiveFlag`, when set, is
        /// prefixed to the pattern instead of using the case-insensitive template.
        case regex(caseInsensitive: String, caseSensitive: String, nonTerm: String, caseInsensitiveFlag: String?)
        /// SQL the dialect builds itself, for engines without a fitting regular expression.
        case custom(@Sendable (TermMatchRequest) throws(WriterError) -> String)
    }

    /// One `has` test for a dialect's custom term match.
    public struct TermMatchRequest: Sendable {
        /// The haystack folded as the needle is (lower case unless case-sensitive).
        public var foldedHaystack: String
        /// The folded needle, quoted for the dialect.
        public var quotedNeedle: String
        /// Characters in the folded needle.
        public var needleLength: Int
        /// Whether a term boundary is needed before and after the needle.
        public var boundaryBefore: Bool
        public var boundaryAfter: Bool
    }

    /// The one-row table that holds `now()` for a whole statement, where the engine's own
    /// `now()` is not one instant per statement.
    public struct NowTable: Sendable {
        /// The SELECT, with {now}: the engine's 'now' or a pinned timestamp, quoted.
        public var body: String
        /// What follows the CTE's name, such as `AS MATERIALIZED` (evaluated once).
        public var definition: String
    }

    /// The name `--dialect` takes and the output names.
    public var name: String
    /// The engine the oracle suites run this dialect's SQL on (sqlite, postgres, duckdb or spark).
    public var engine: String
    public var summary: String
    /// The character that quotes identifiers (doubled inside them).
    public var identifierQuote: String
    public var trueLiteral: String
    public var falseLiteral: String
    public var quoteString: @Sendable (String) throws(WriterError) -> String
    /// A datetime column's {value} as a comparable instant.
    public var instantFromColumn: String
    /// A `datetime(...)` literal (ISO-8601 UTC text in {value}, already quoted) as an instant.
    public var instantFromLiteral: String
    /// An {instant} turned back into the column form, for output.
    public var instantToOutput: String
    /// `now()` as an instant.
    public var nowInstant: String
    /// Set when `now()` comes from a one-row table (`nowInstant` then names its column).
    public var nowTable: NowTable? = nil
    /// {instant} shifted by the span literal {span}.
    public var shiftInstant: String
    /// A timespan as the dialect writes it; {span} is `spanText` ("-5 days", "1.5 seconds").
    public var spanLiteral: String
    /// Whether `lower()` folds non-ASCII letters; when not, the needle's own letters are folded
    /// with `replace()`, which is exact because only they can take part in a match.
    public var lowerFoldsUnicode: Bool
    public var termMatch: TermMatch
    /// {haystack} contains {needle}; starts or ends with it ({length}: its characters).
    public var containsTemplate: String
    public var startsWithTemplate: String
    public var endsWithTemplate: String
    /// Characters in {value}.
    public var lengthFunction: String
    /// {value} as text.
    public var toText: String
    /// The distinct (`make_set`) and all (`make_list`) non-null values of {value} in a group.
    public var setAggregate: String
    public var listAggregate: String
    // Standard SQL that every dialect so far shares; a row overrides what its engine spells
    // differently.

    /// Rows of a group where {condition} holds (`countif`).
    public var countIf = "count(*) FILTER (WHERE {condition})"
    /// The row's rank within {partition} (empty or `PARTITION BY ... `) ordered by {order}.
    public var rowNumber = "ROW_NUMBER() OVER ({partition}ORDER BY {order})"
    /// At most {count} rows.
    public var limitClause = "LIMIT {count}"
    /// An ORDER BY key: {value}, {direction} (ASC or DESC) and {nulls} (`nullsFirst` or `nullsLast`).
    public var orderKey = "{value} {direction} {nulls}"
    public var nullsFirst = "NULLS FIRST"
    public var nullsLast = "NULLS LAST"
    /// The FROM item {from} joined with the one-row now() table {now}.
    public var joinNowTable = "{from} CROSS JOIN {now}"
}

extension SQLDialect {
    /// The dialect named `name` (as `--dialect` takes it).
    public static func named(_ name: String) -> SQLDialect? {
        all.first { $0.name == name }
    }

    /// An identifier, quoted.
    public func identifier(_ name: String) -> String {
        // Identifiers rarely hold the quote; skipping the replace matters over 60-column projections.
        name.utf8.contains(where: identifierQuote.utf8.contains)
            ? identifierQuote + name.replacingOccurrences(of: identifierQuote, with: identifierQuote + identifierQuote) + identifierQuote
            : identifierQuote + name + identifierQuote
    }

    /// A standard SQL string literal (quotes doubled, backslash literal).
    @Sendable static func standardString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "the NUL character cannot be matched in SQL strings:")
        return doublingQuotes(s)
    }

    /// No dialect can match a NUL exactly; each says why, followed by the literal in KQL.
    static func refuseNUL(in s: String, _ reason: String) throws(WriterError) {
        if s.unicodeScalars.contains("\u{0}") {
            throw WriterError("\(reason) \(KQLText.stringLiteral(s))")
        }
    }

    static func doublingQuotes(_ s: String) -> String {
        s.utf8.contains(UInt8(ascii: "'")) ? "'" + s.replacingOccurrences(of: "'", with: "''") + "'" : "'" + s + "'"
    }

    /// A span as a count of the largest exact unit every dialect names: "-5 days", "2 hours",
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
        fill(spanLiteral, ["span": Self.spanText(span)])
    }
}

/// Fills the `{name}` placeholders of a dialect template in one pass, so operand text (which
/// may hold braces of its own) is never rescanned. Braces around any other text (a regular
/// expression's `\p{L}`, PostgreSQL's empty array `'{}'`) are kept as they are.
func fill(_ template: String, _ operands: [String: String]) -> String {
    var result = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
        result += rest[..<open]
        let afterOpen = rest.index(after: open)
        if let close = rest[afterOpen...].firstIndex(of: "}"), let value = operands[String(rest[afterOpen..<close])] {
            result += value
            rest = rest[rest.index(after: close)...]
        } else {
            result += "{"
            rest = rest[afterOpen...]
        }
    }
    return result + rest
}
