import RuleModel
import RuleReading
import RuleTestSupport
import RuleWriting
import Testing

/// Read → write KQL → read gives the same model, for every rule in packs/ and the fixtures.
@Suite("KQL round trip")
struct RoundTripTests {
    static let rules = Paths.validRules.map(\.lastPathComponent)

    @Test("read → write KQL → read", arguments: Paths.validRules)
    func roundTrip(file: URL) throws {
        let rule = try readRule(file)
        // The whole translation, comments and exclusions included, reads back as the effective detection.
        let written = KQLWriter().write(rule).text
        let reread = try KQLParser.parse(written)
        #expect(reread == rule.effectiveDetection(), "\(file.lastPathComponent)")
        // The rule's own query, without exclusions, reads back exactly.
        let plain = KQLText.query(rule.detection)
        #expect(try KQLParser.parse(plain) == rule.detection)
        // Writing is stable: the second writing is the first.
        #expect(KQLText.query(try KQLParser.parse(plain)) == plain)
    }

    @Test func roundTripKeepsEveryOperatorSpelling() throws {
        for op in KQLSpelling.stringOperators {
            let detection = try KQLParser.parse("T | where A \(op.spelling) 'x'")
            #expect(KQLText.query(detection) == "T\n| where A \(op.spelling) 'x'")
        }
    }
}

import Foundation
