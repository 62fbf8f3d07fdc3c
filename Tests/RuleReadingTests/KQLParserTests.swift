import RuleModel
import RuleReading
import RuleTestSupport
import Testing

@Suite("KQL reader")
struct KQLParserTests {
    /// The predicate of `T | where <text>`.
    func predicate(_ text: String) throws -> QueryExpression {
        let detection = try KQLParser.parse("DeviceProcessEvents | where " + text)
        guard case .filter(let predicate)? = detection.operators.first else { throw TestFailure("no where") }
        return predicate
    }

    func needle(_ text: String) throws -> String {
        guard case .stringPredicate(let p) = try predicate("FileName has " + text), case .string(let s) = p.needle else {
            throw TestFailure("not a string predicate")
        }
        return s
    }

    @Test("string literal forms", arguments: [
        (#"'a\'b'"#, "a'b"),
        (#""a\"b""#, "a\"b"),
        (#"'tab\there'"#, "tab\there"),
        (#"'new\nline'"#, "new\nline"),
        (#"'back\\slash'"#, "back\\slash"),
        (#"@'C:\Temp\'"#, "C:\\Temp\\"),
        (#"@'it''s'"#, "it's"),
        (#"@"say ""hi""""#, "say \"hi\""),
        ("h'hidden'", "hidden"),
        ("H@'x\\y'", "x\\y"),
        ("```multi\nline```", "multi\nline"),
        (#"'con' "cat" @'enated'"#, "concatenated"),
        (#"'\u00e9'"#, "é"),
        ("'Ünïcödé ✓ 署名'", "Ünïcödé ✓ 署名"),
    ])
    func literals(source: String, value: String) throws {
        #expect(try needle(source) == value)
    }

    @Test("each string operator keeps its match, case sensitivity and negation", arguments: KQLSpelling.stringOperators)
    func stringOperators(op: KQLSpelling.StringOperator) throws {
        let parsed = try predicate("FileName \(op.spelling) 'x'")
        #expect(parsed == .stringPredicate(StringPredicate(.column(ColumnReference("FileName")), op.match, .string("x"), caseSensitive: op.caseSensitive, negated: op.negated)))
    }

    @Test("each list operator", arguments: KQLSpelling.listOperators)
    func listOperators(op: KQLSpelling.ListOperator) throws {
        let parsed = try predicate("FileName \(op.spelling) ('a', 'b')")
        #expect(parsed == .list(ListPredicate(.column(ColumnReference("FileName")), op.match, op.quantifier, .literals([.string("a"), .string("b")]), caseSensitive: op.caseSensitive, negated: op.negated)))
    }

    @Test func precedenceAndParentheses() throws {
        let parsed = try predicate("A has 'a' or B has 'b' and not(C == 'c')")
        guard case .or(let items) = parsed, items.count == 2, case .and(let right) = items[1], case .not = right[1] else {
            Issue.record("or/and/not shape wrong: \(parsed)")
            return
        }
        let grouped = try predicate("(A has 'a' or B has 'b') and C == 'c'")
        guard case .and(let parts) = grouped, case .or = parts[0] else {
            Issue.record("parentheses ignored: \(grouped)")
            return
        }
    }

    @Test func letsAndTimeWindow() throws {
        let d = try KQLParser.parse("""
        let Time_start = now(-5d);
        let Time_end = now();
        let Names = dynamic(['a', "b"]);
        DeviceProcessEvents
        | where Timestamp between (Time_start..Time_end)
        | where FileName in~ (Names) and Timestamp > ago(90m) and Timestamp < datetime(2026-11-29T05:21:24.1234567Z)
        """)
        #expect(d.lets == [
            LetStatement(name: "Time_start", value: .scalar(.now(offset: .days(-5)))),
            LetStatement(name: "Time_end", value: .scalar(.now(offset: nil))),
            LetStatement(name: "Names", value: .scalar(.dynamicArray([.string("a"), .string("b")]))),
        ])
        #expect(d.lookback == .days(5))
        guard case .filter(.and(let items)) = d.operators[1] else { throw TestFailure("second where") }
        #expect(items[1] == .comparison(.greater, .column(ColumnReference("Timestamp")), .ago(Timespan(ticks: 90 * 60 * Timespan.ticksPerSecond))))
        #expect(items[2] == .comparison(.less, .column(ColumnReference("Timestamp")), .datetime("2026-11-29T05:21:24.1234567Z")))
    }

    @Test func summarizeAndShaping() throws {
        let d = try KQLParser.parse("""
        DeviceNetworkEvents
        | summarize FirstSeen=min(Timestamp), Report=make_set(ReportId), count(), dcount(RemoteIP), countif(RemotePort == 443), arg_max(Timestamp, *) by DeviceId, Account=InitiatingProcessAccountUpn
        | project-away Report
        | extend Twice = count_ * 2
        | project DeviceId, Twice
        | distinct DeviceId
        | sort by DeviceId asc nulls last
        | top 5 by DeviceId
        | take 3
        """)
        guard case .summarize(let s) = d.operators[0] else { throw TestFailure("summarize") }
        #expect(s.aggregates.map(\.outputName) == ["FirstSeen", "Report", "count_", "dcount_RemoteIP", "countif_", "Timestamp"])
        #expect(s.keys.map(\.outputName) == ["DeviceId", "Account"])
        #expect(d.operators.map(\.keyword) == ["summarize", "project-away", "extend", "project", "distinct", "sort", "top", "take"])
        #expect(d.operators[5] == .sort([SortKey(.column(ColumnReference("DeviceId")), descending: false, nullsFirst: false)]))
        #expect(d.operators[6] == .top(5, by: [SortKey(.column(ColumnReference("DeviceId")), descending: true)]))
    }

    @Test func bracketedNamesWhereverANameIsAssigned() throws {
        let d = try KQLParser.parse("T | summarize ['Last Seen'] = max(Timestamp) by ['Device Id'] = DeviceId | extend ['a-b'] = 1")
        guard case .summarize(let s) = d.operators[0], case .extend(let items) = d.operators[1] else { throw TestFailure("shape") }
        #expect(s.aggregates.first?.name == "Last Seen")
        #expect(s.keys.first?.name == "Device Id")
        #expect(items.first?.name == "a-b")
    }

    @Test func tabularLetInList() throws {
        let d = try KQLParser.parse("""
        let Devices = DeviceProcessEvents | where FileName has 'syncro' | distinct DeviceId;
        DeviceNetworkEvents | where DeviceId in (Devices)
        """)
        #expect(d.tabularLet(named: "Devices") != nil)
        #expect(d.operators == [.filter(.list(ListPredicate(.column(ColumnReference("DeviceId")), .equals, .any, .tabularLet("Devices"), caseSensitive: true)))])
    }

    @Test("errors name the construct and its position", arguments: [
        ("T | join (U) on X", 1, 5, "unsupported KQL operator 'join'"),
        ("T | where X matches regex 'a'", 1, 13, "unsupported KQL operator 'matches'"),
        ("T | where parse_json(X).a == 1", 1, 11, "unsupported KQL function 'parse_json'"),
        ("T | where X has 'a' and\n| take 1", 2, 1, "expected an expression, found '|'"),
        ("T | where X has 'unterminated", 1, 17, "unterminated string literal"),
        ("T | summarize percentile(X, 50)", 1, 15, "unsupported aggregation function 'percentile'"),
        ("T | where X == 'a' | mv-expand Y", 1, 22, "unsupported KQL operator 'mv-expand'"),
        ("let x = 1\nT", 2, 1, "expected ';' to end 'let x'"),
        ("T | where X has 'a' | where min(Y) > 1", 1, 29, "aggregation function 'min' is only allowed in summarize"),
        ("union T, U", 1, 1, "unsupported KQL construct 'union'"),
        ("T | where X has 'a\\q'", 1, 19, "unknown escape"),
        ("T | where X == 5x", 1, 17, "is not a number or a timespan"),
        ("T | where X == 3e62436", 1, 16, "number '3e62436' is out of range"),
        ("T | where X == 99999999999999999999", 1, 16, "is out of range"),
        ("T | where " + String(repeating: "(", count: 100_000) + "X", 1, 75, "nest more than 64 deep"),
        ("T | where X == " + String(repeating: "-", count: 100_000) + "1", 1, 79, "nest more than 64 deep"),
    ])
    func errors(query: String, line: Int, column: Int, message: String) {
        do {
            _ = try KQLParser.parse(query)
            Issue.record("\(query) parsed")
        } catch {
            #expect(error.position == SourcePosition(line: line, column: column), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
