import RuleModel

/// Every SQL dialect rulepack writes, one row each. `all` is the registry that `convert
/// --dialect`, the golden files, the fuzz properties and the oracle suites iterate: a dialect
/// added here (with its goldens) is picked up everywhere.
extension SQLDialect {
    public static let all: [SQLDialect] = [.sqlite, .postgres, .duckdb, .spark]

    /// SQLite 3.30+: datetimes as Defender's ISO-8601 text compared as julian days, JSON arrays
    /// for sets, and a scan over every occurrence for `has` (SQLite has no regular expressions).
    public static let sqlite = SQLDialect(
        name: "sqlite",
        engine: "sqlite",
        summary: "SQLite (hunt's engine)",
        identifierQuote: "\"",
        trueLiteral: "1",
        falseLiteral: "0",
        quoteString: sqliteString,
        instantFromColumn: "julianday({value})",
        instantFromLiteral: "julianday({value})",
        instantToOutput: "strftime('%Y-%m-%dT%H:%M:%fZ', {instant})",
        nowInstant: "\"query_now\".\"instant\"",
        nowTable: NowTable(body: "SELECT julianday({now}) AS \"instant\"", definition: "AS MATERIALIZED"),
        shiftInstant: "julianday({instant}, {span})",
        // A date-function modifier: '<n> days|hours|minutes|seconds'.
        spanLiteral: "'{span}'",
        lowerFoldsUnicode: false,
        termMatch: .custom(sqliteOccurrenceScan),
        containsTemplate: "instr({haystack}, {needle}) > 0",
        startsWithTemplate: "substr({haystack}, 1, {length}) = {needle}",
        endsWithTemplate: "substr({haystack}, -{length}) = {needle}",
        lengthFunction: "length({value})",
        toText: "CAST({value} AS TEXT)",
        setAggregate: "json_group_array(DISTINCT {value}) FILTER (WHERE {value} IS NOT NULL)",
        listAggregate: "json_group_array({value}) FILTER (WHERE {value} IS NOT NULL)"
    )

    /// PostgreSQL: timestamptz datetimes, POSIX regular expressions, arrays for sets.
    public static let postgres = SQLDialect(
        name: "postgres",
        engine: "postgres",
        summary: "PostgreSQL",
        identifierQuote: "\"",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: postgresString,
        instantFromColumn: "{value}",
        instantFromLiteral: "CAST({value} AS timestamptz)",
        instantToOutput: "{instant}",
        nowInstant: "now()",
        shiftInstant: "({instant} + {span})",
        spanLiteral: "interval '{span}'",
        lowerFoldsUnicode: true,
        termMatch: .regex(caseInsensitive: "{haystack} ~* {pattern}", caseSensitive: "{haystack} ~ {pattern}", nonTerm: "[^[:alnum:]]", caseInsensitiveFlag: nil),
        containsTemplate: "strpos({haystack}, {needle}) > 0",
        startsWithTemplate: "left({haystack}, {length}) = {needle}",
        endsWithTemplate: "right({haystack}, {length}) = {needle}",
        lengthFunction: "char_length({value})",
        toText: "CAST({value} AS text)",
        setAggregate: "coalesce(array_agg(DISTINCT {value}) FILTER (WHERE {value} IS NOT NULL), '{}')",
        listAggregate: "coalesce(array_agg({value}) FILTER (WHERE {value} IS NOT NULL), '{}')"
    )

    /// DuckDB: TIMESTAMPTZ datetimes (what its CSV reader infers from Defender's format), RE2
    /// regular expressions, lists for sets.
    public static let duckdb = SQLDialect(
        name: "duckdb",
        engine: "duckdb",
        summary: "DuckDB",
        identifierQuote: "\"",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: standardString,
        instantFromColumn: "{value}",
        instantFromLiteral: "CAST({value} AS TIMESTAMPTZ)",
        instantToOutput: "{instant}",
        nowInstant: "now()",
        shiftInstant: "({instant} + {span})",
        spanLiteral: "INTERVAL '{span}'",
        lowerFoldsUnicode: true,
        termMatch: .regex(caseInsensitive: "regexp_matches({haystack}, {pattern}, 'i')", caseSensitive: "regexp_matches({haystack}, {pattern})", nonTerm: "[^\\pL\\pN]", caseInsensitiveFlag: nil),
        containsTemplate: "strpos({haystack}, {needle}) > 0",
        startsWithTemplate: "left({haystack}, {length}) = {needle}",
        endsWithTemplate: "right({haystack}, {length}) = {needle}",
        lengthFunction: "length({value})",
        toText: "CAST({value} AS VARCHAR)",
        setAggregate: "coalesce(list(DISTINCT {value}) FILTER (WHERE {value} IS NOT NULL), [])",
        listAggregate: "coalesce(list({value}) FILTER (WHERE {value} IS NOT NULL), [])"
    )

    /// Spark SQL (Spark 3+, Databricks): TIMESTAMP datetimes in a UTC session, backtick
    /// identifiers, backslash escapes in strings, Java regular expressions.
    public static let spark = SQLDialect(
        name: "spark",
        engine: "spark",
        summary: "Spark SQL (Databricks)",
        identifierQuote: "`",
        trueLiteral: "TRUE",
        falseLiteral: "FALSE",
        quoteString: sparkString,
        instantFromColumn: "{value}",
        instantFromLiteral: "CAST({value} AS TIMESTAMP)",
        instantToOutput: "{instant}",
        nowInstant: "current_timestamp()",
        shiftInstant: "({instant} + {span})",
        spanLiteral: "INTERVAL '{span}'",
        lowerFoldsUnicode: true,
        // Java folds only ASCII under (?i); (?iu) folds Unicode, as KQL does.
        termMatch: .regex(caseInsensitive: "{haystack} RLIKE {pattern}", caseSensitive: "{haystack} RLIKE {pattern}", nonTerm: "[^\\p{L}\\p{N}]", caseInsensitiveFlag: "(?iu)"),
        containsTemplate: "instr({haystack}, {needle}) > 0",
        startsWithTemplate: "left({haystack}, {length}) = {needle}",
        endsWithTemplate: "right({haystack}, {length}) = {needle}",
        lengthFunction: "char_length({value})",
        toText: "CAST({value} AS STRING)",
        setAggregate: "collect_set({value})",
        listAggregate: "collect_list({value})"
    )

    // MARK: - String literals, one function per dialect

    /// Spark reads backslash escapes in string literals: the backslash and the quote are escaped.
    @Sendable static func sparkString(_ s: String) throws(WriterError) -> String {
        try refuseNUL(in: s, "the NUL character cannot be matched in SQL strings:")
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "'") }) else { return "'" + s + "'" }
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

    // MARK: - SQLite's term match

    /// SQLite: true when the one-character text {character} is no term character, or is empty
    /// (an end). Exact for ASCII, Latin-1 and General Punctuation; other non-ASCII characters
    /// count as letters, which is right for the letters of other scripts (see README).
    static let sqliteSeparatorTest: String = {
        let latin1TermCharacters = (0x80...0xBF).filter { Unicode.Scalar($0).map(KQLTerms.isTermCharacter) ?? false }.map(String.init)
        return "({character} = '' OR NOT ({character} GLOB '[A-Za-z0-9]' OR unicode({character}) IN (\(latin1TermCharacters.joined(separator: ", "))) OR (unicode({character}) > 191 AND unicode({character}) NOT IN (215, 247) AND unicode({character}) NOT BETWEEN 8192 AND 8303)))"
    }()
    static let sqliteSeparatorBefore = fill(sqliteSeparatorTest, ["character": "\"before\""])
    static let sqliteSeparatorAfter = fill(sqliteSeparatorTest, ["character": "\"after\""])

    /// `has` in SQLite: every occurrence of the needle is found with a recursive CTE over
    /// instr(), and the characters around it are tested for term boundaries. The cheap instr()
    /// test comes first, so the scan only runs for rows that contain the needle.
    @Sendable static func sqliteOccurrenceScan(_ r: TermMatchRequest) -> String {
        let (h, quoted) = (r.foldedHaystack, r.quotedNeedle)
        var conditions: [String] = []
        if r.boundaryBefore { conditions.append(sqliteSeparatorBefore) }
        if r.boundaryAfter { conditions.append(sqliteSeparatorAfter) }
        return "(instr(\(h), \(quoted)) > 0 AND EXISTS (WITH RECURSIVE \"occurrence\"(\"h\", \"at\") AS ("
            + "SELECT \"h\", instr(\"h\", \(quoted)) FROM (SELECT \(h) AS \"h\") UNION ALL "
            + "SELECT \"h\", \"at\" + instr(substr(\"h\", \"at\" + 1), \(quoted)) FROM \"occurrence\" WHERE instr(substr(\"h\", \"at\" + 1), \(quoted)) > 0) "
            + "SELECT 1 FROM (SELECT substr(\"h\", \"at\" - 1, 1) AS \"before\", substr(\"h\", \"at\" + \(r.needleLength), 1) AS \"after\" FROM \"occurrence\") "
            + "WHERE " + conditions.joined(separator: " AND ") + "))"
    }
}
