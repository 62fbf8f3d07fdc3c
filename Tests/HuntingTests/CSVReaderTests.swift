@testable import Hunting
import Testing

/// RFC 4180 as Defender's exports use it, and the two malformations reported by line.
@Suite("CSV reader")
struct CSVReaderTests {
    func records(_ text: String) throws -> [[String]] {
        var reader = CSVReader(Array(text.utf8))
        var all: [[String]] = []
        while let record = try reader.next() { all.append(record.fields) }
        return all
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "\u{FEFF}Signer,ReportId\r\n\"Servably, Inc.\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n"
        #expect(try records(text) == [["Signer", "ReportId"], ["Servably, Inc.", "1"], ["say \"hi\"", "2"], ["two\nlines", "3"]])
    }

    @Test func emptyFieldsAndAMissingFinalNewline() throws {
        #expect(try records("a,,c\n,,\nx") == [["a", "", "c"], ["", "", ""], ["x"]])
    }

    @Test func anUnterminatedQuoteIsReportedAtItsLine() {
        var reader = CSVReader(Array("a,b\n\"open,1\n".utf8))
        #expect(throws: Never.self) { _ = try reader.next() }
        #expect {
            _ = try reader.next()
        } throws: { error in
            if case .unterminatedQuote(let line) = error as? CSVReader.Failure { return line == 2 }
            return false
        }
    }
}
