import RuleModel
import Testing

/// KQL's meaning as the model holds it, which the reader, every writer and the checks share.
@Suite("KQL semantics in the model")
struct KQLSemanticsTests {
    @Test("term characters are Unicode letters and digits", arguments: [
        ("a", true), ("Z", true), ("7", true), ("é", true), ("署", true), ("Ⅻ", true), ("²", true),
        ("_", false), ("-", false), (" ", false), (".", false), ("\u{00A0}", false), ("\u{2013}", false), ("€", false),
    ] as [(Unicode.Scalar, Bool)])
    func termCharacters(scalar: Unicode.Scalar, isTerm: Bool) {
        #expect(KQLTerms.isTermCharacter(scalar) == isTerm)
    }

    @Test func boundariesFollowTheNeedlesEnds() {
        #expect(KQLTerms.boundaries(of: "Servably, Inc.").map { [$0.before, $0.after] } == [true, false])
        #expect(KQLTerms.boundaries(of: ".exe").map { [$0.before, $0.after] } == [false, true])
        #expect(KQLTerms.boundaries(of: "-").map { [$0.before, $0.after] } == [false, false])
        #expect(KQLTerms.boundaries(of: "") == nil)
    }

    @Test("has: a term boundary where the needle's own end is a term character", arguments: [
        ("Servably, Inc.", "servably", true), ("NotServably, Inc.", "servably", false), ("Servably_Inc", "servably", true),
        ("a.syncromsp.com", ".syncromsp.com", true), ("xsyncromsp.com", "syncromsp.com", false), ("x-syncromsp.com", "syncromsp.com", true),
        ("ÉCOLE du soir", "école", true), ("préécole", "école", false), ("abc", "", true), ("ab", "abc", false),
        ("xServably Servably", "servably", true),
    ])
    func has(haystack: String, needle: String, expected: Bool) {
        #expect(KQLTerms.has(haystack, needle) == expected)
    }

    @Test func hasCaseSensitive() {
        #expect(!KQLTerms.has("SERVABLY inc", "Servably", caseSensitive: true))
        #expect(KQLTerms.has("Servably inc", "Servably", caseSensitive: true))
    }

    @Test func foldingMapsEachCharacterToOne() {
        #expect(KQLTerms.folded("ÉCOLE Straße") == "école straße")
        // İ lower-cases to two characters (i and a combining dot): it is kept.
        #expect(KQLTerms.folded("İ") == "İ")
        // ẞ lower-cases to one character; a character whose lower case is two is kept.
        #expect(KQLTerms.folded("ẞ") == "ß")
    }

    @Test func regexEscapingCoversEveryFlavoursSpecials() {
        #expect(KQLTerms.regexEscaped(#"a.b*c?(d)[e]{f}|g^h$i\j+k-l"#) == #"a\.b\*c\?\(d\)\[e\]\{f\}\|g\^h\$i\\j\+k\-l"#)
        #expect(KQLTerms.regexEscaped("Servably, Inc") == "Servably, Inc")
    }

    @Test func literalsAndIdentifiers() {
        #expect(KQLText.stringLiteral("it's\\\n") == #"'it\'s\\\n'"#)
        #expect(KQLText.identifier("Signer") == "Signer")
        #expect(KQLText.identifier("has") == "['has']")
        #expect(KQLText.identifier("my column") == "['my column']")
        #expect(KQLText.timespan(.days(5)) == "5d")
    }

    @Test func scalarLetsAndNowOffsetsResolveThroughChains() {
        let detection = Detection(lets: [
            LetStatement(name: "start", value: .scalar(.letReference("back"))),
            LetStatement(name: "back", value: .scalar(.now(offset: .days(-5)))),
            LetStatement(name: "end", value: .scalar(.now(offset: nil))),
            LetStatement(name: "hour", value: .scalar(.ago(Timespan(ticks: 3_600 * Timespan.ticksPerSecond)))),
        ], source: TableReference("T"))
        #expect(detection.resolvingScalarLets(.letReference("start")) == .now(offset: .days(-5)))
        #expect(detection.resolvingScalarLets(.column(ColumnReference("start"))) == .column(ColumnReference("start")))
        #expect(detection.nowOffset(of: .letReference("start")) == .days(-5))
        #expect(detection.nowOffset(of: .letReference("end")) == Timespan(ticks: 0))
        #expect(detection.nowOffset(of: .letReference("hour")) == Timespan(ticks: -3_600 * Timespan.ticksPerSecond))
        #expect(detection.nowOffset(of: .string("x")) == nil)
    }
}
