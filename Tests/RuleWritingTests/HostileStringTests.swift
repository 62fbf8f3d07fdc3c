import Foundation
import RuleModel
import RuleReading
import RuleTestSupport
import RuleWriting
import SQLiteDatabase
import Testing
import Yams

/// Strings built to break a writer: quotes of every kind, backslashes, SQL LIKE, GLOB and Sigma
/// wildcards, comment markers, template placeholders, control characters and non-ASCII text.
/// Each survives every writer and selects exactly the right rows in SQLite.
@Suite("Hostile strings")
struct HostileStringTests {
    static let hostile: [String] = [
        "O'Brien", "\"double\"", "both ' and \"", "back\\slash", "trailing\\", "\\\\server\\share",
        "%", "_", "*", "?", "%_*?[]", "[abc]", "a%b_c", "' OR 1=1 --", "'; DROP TABLE x; --", "/* c */", "-- c",
        "{0} {1}", "{haystack} {needle} {value}", "$1 \\1", "@'v'", "```", "line1\nline2", "tab\there", "cr\rlf", "bell\u{07}", "del\u{7F}",
        "Ünïcödé", "ÉCOLE", "署名 ✓", "emoji 😀", "", " ", "Servably, Inc.",
    ]

    /// The rows the tests run against: every hostile string once, plus padded copies.
    static let rows: [(Int64, String)] = {
        var rows: [(Int64, String)] = []
        for (i, s) in hostile.enumerated() {
            rows.append((Int64(i), s))
            rows.append((Int64(1000 + i), "x" + s + "x"))
        }
        return rows
    }()

    func database() throws -> SQLiteDatabase {
        let db = try SQLiteDatabase()
        try FixtureEvents().load(into: db, rows: [:])
        for (id, signer) in Self.rows {
            try db.query(#"INSERT INTO "DeviceFileCertificateInfo" ("ReportId", "Signer") VALUES (?, ?)"#, [.integer(id), .text(signer)])
        }
        return db
    }

    func rule(_ predicate: QueryExpression) -> Rule {
        Rule(
            metadata: RuleMetadata(id: "00000000-0000-4000-8000-000000000001", name: "hostile"),
            detection: Detection(source: TableReference("DeviceFileCertificateInfo"), operators: [
                .filter(predicate),
                // The columns a Defender custom detection needs, ReportId first for `ids`.
                .project(["ReportId", "Timestamp", "DeviceId"].map { NamedExpression(.column(ColumnReference($0))) }),
            ]),
            sourceFile: "hostile.yaml"
        )
    }

    func predicate(_ match: StringMatch, _ needle: String, caseSensitive: Bool = false) -> QueryExpression {
        .stringPredicate(StringPredicate(.column(ColumnReference("Signer")), match, .string(needle), caseSensitive: caseSensitive))
    }

    func ids(_ db: SQLiteDatabase, _ rule: Rule) throws -> Set<Int64> {
        let sql = try SQLWriter(dialect: .sqlite).write(rule).text
        return Set(try db.query(sql).rows.compactMap { if case .integer(let n) = $0.first { n } else { nil } })
    }

    @Test("KQL writer: the literal reads back", arguments: hostile)
    func kqlRoundTrip(s: String) throws {
        let r = rule(predicate(.has, s))
        #expect(try KQLParser.parse(KQLText.query(r.detection)) == r.detection)
    }

    @Test("SQLite: == and =~ select exactly the equal row", arguments: hostile)
    func equality(s: String) throws {
        let db = try database()
        let index = Int64(try #require(Self.hostile.firstIndex(of: s)))
        #expect(try ids(db, rule(predicate(.equals, s, caseSensitive: true))) == [index])
        let folded = Set(Self.rows.filter { $0.1.lowercased() == s.lowercased() }.map(\.0))
        #expect(try ids(db, rule(predicate(.equals, s))) == folded)
    }

    @Test("SQLite: contains, startswith, endswith select exactly the rows that hold the needle", arguments: hostile)
    func substrings(s: String) throws {
        let db = try database()
        let lowered = s.lowercased()
        func expected(_ test: (String) -> Bool) -> Set<Int64> { Set(Self.rows.filter { test($0.1.lowercased()) }.map(\.0)) }
        #expect(try ids(db, rule(predicate(.contains, s))) == expected { lowered.isEmpty || $0.contains(lowered) })
        #expect(try ids(db, rule(predicate(.startsWith, s))) == expected { $0.hasPrefix(lowered) })
        #expect(try ids(db, rule(predicate(.endsWith, s))) == expected { $0.hasSuffix(lowered) })
        #expect(try ids(db, rule(predicate(.contains, s, caseSensitive: true))) == Set(Self.rows.filter { s.isEmpty || $0.1.contains(s) }.map(\.0)))
    }

    @Test("SQLite: a string has itself", arguments: hostile)
    func hasItself(s: String) throws {
        let db = try database()
        let index = Int64(try #require(Self.hostile.firstIndex(of: s)))
        #expect(try ids(db, rule(predicate(.has, s))).contains(index))
        #expect(try ids(db, rule(predicate(.has, s, caseSensitive: true))).contains(index))
    }

    @Test("Sigma: the value reads back from the YAML", arguments: hostile)
    func sigma(s: String) throws {
        let text = try SigmaWriter(date: "1970-01-01").write(rule(predicate(.equals, s))).text
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let detection = try #require(document["detection"] as? [String: Any])
        let selection = try #require(detection["selection"] as? [String: Any])
        let value = try #require(selection["Signer"] as? String)
        // Sigma escapes its wildcards and the backslash; undoing that gives the needle back.
        var unescaped = ""
        var escaping = false
        for c in value {
            if c == "\\" && !escaping { escaping = true; continue }
            unescaped.append(c)
            escaping = false
        }
        #expect(unescaped == s)
    }

    /// Every target of the registry writes every hostile string (SQL refuses only NUL), and
    /// the string stands in the output exactly as the target's own literal spells it.
    @Test("every target writes every hostile string", arguments: OutputTarget.all.map(\.name))
    func everyTarget(name: String) throws {
        let target = try #require(OutputTarget.all.first { $0.name == name })
        for s in Self.hostile {
            let r = rule(predicate(.equals, s, caseSensitive: true))
            let text = try target.write(r, TargetOptions(date: "1970-01-01")).text
            if let dialect = SQLDialect.all.first(where: { $0.target.name == name }) {
                #expect(text.contains(try dialect.quoteString(s)), "\(name): \(s)")
            } else if target.language == "kql" {
                #expect(text.contains(KQLText.stringLiteral(s)), "\(name): \(s)")
            } else if target.fileExtension == "json" {
                // Deployments carry the KQL query as a JSON string.
                #expect(Self.jsonStrings(in: try JSONSerialization.jsonObject(with: Data(text.utf8))).contains { $0.contains(KQLText.stringLiteral(s)) }, "\(name): \(s)")
            }
        }
    }

    static func jsonStrings(in value: Any) -> [String] {
        switch value {
        case let s as String: [s]
        case let list as [Any]: list.flatMap(jsonStrings)
        case let map as [String: Any]: map.values.flatMap(jsonStrings)
        default: []
        }
    }

    @Test("every SQL dialect refuses NUL", arguments: SQLDialect.all.map(\.name))
    func nul(name: String) throws {
        let dialect = try #require(SQLDialect.named(name))
        #expect(throws: WriterError.self) { try SQLWriter(dialect: dialect).write(rule(predicate(.equals, "nul\u{0}byte"))) }
    }

    @Test("KQL and Sigma carry NUL")
    func nulElsewhere() throws {
        let r = rule(predicate(.equals, "nul\u{0}byte"))
        #expect(try KQLParser.parse(KQLText.query(r.detection)) == r.detection)
        #expect(try SigmaWriter().write(r).text.contains("\\0"))
    }

    /// No dialect can match a NUL exactly, so each refuses it, saying why.
    @Test("a NUL in a needle is refused", arguments: [
        (SQLDialect.sqlite, "SQLite string functions stop at the NUL character in"),
        (.postgres, "PostgreSQL text cannot hold the NUL character in"),
        (.duckdb, "the NUL character cannot be matched in SQL strings:"),
        (.spark, "the NUL character cannot be matched in SQL strings:"),
    ])
    func nulIsRefused(dialect: SQLDialect, message: String) {
        do {
            _ = try SQLWriter(dialect: dialect).write(rule(predicate(.contains, "a\u{0}b")))
            Issue.record("written")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}

@Suite("SQL dialect tokens")
struct SQLDialectTests {
    /// Random strings over an alphabet of troublemakers, from a fixed seed.
    static let generated: [String] = {
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array("'\"\\%_*?[]{}()-;/\n\t\r aZ0éÉ署😀\u{7}")
        return (0..<300).map { _ in String((0..<Int(generator.next() % 12)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }) }
    }()

    @Test func sqliteLiteralsReadBackExactly() throws {
        let db = try SQLiteDatabase()
        for s in Self.generated + HostileStringTests.hostile {
            let literal = try SQLDialect.sqlite.quoteString(s)
            let row = try db.query("SELECT \(literal)").rows.first?.first
            #expect(row == .text(s), "\(literal)")
        }
    }

    @Test func postgresLiteralsDoubleQuotesAndBackslashes() throws {
        #expect(try SQLDialect.postgres.quoteString("it's") == "'it''s'")
        #expect(try SQLDialect.postgres.quoteString("a\\b'c") == "E'a\\\\b''c'")
    }
}

/// A small deterministic generator for property tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
