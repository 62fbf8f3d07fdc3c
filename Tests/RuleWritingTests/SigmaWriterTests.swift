import Foundation
import RuleModel
import RuleTestSupport
import RuleWriting
import Testing
import Yams

@Suite("Sigma writer")
struct SigmaWriterTests {
    func sigma(_ query: String, hasForm: SigmaHasForm = .re, falsePositives: String = "") throws -> (document: [String: Any], translation: Translation) {
        let rule = try ruleFromQuery(query, falsePositives: falsePositives)
        let translation = try SigmaWriter(hasForm: hasForm, date: "1970-01-01").write(rule)
        var documents = try Yams.load_all(yaml: translation.text)
        let document = try #require(documents.next() as? [String: Any])
        return (document, translation)
    }

    func detection(_ document: [String: Any]) throws -> [String: Any] {
        try #require(document["detection"] as? [String: Any])
    }

    @Test func basicFeaturesWriteCaseSensitiveTestsAsAnchoredRegexesAndNoCorrelation() throws {
        let rule = try ruleFromQuery("""
        DeviceProcessEvents
        | where Timestamp > ago(1d)
        | where FileName == 'Syncro.exe' and ProcessCommandLine startswith_cs '-x.' and AccountName =~ 'admin'
        | summarize Count = count() by DeviceId
        """)
        let full = try SigmaWriter(date: "1970-01-01").write(rule)
        #expect(full.text.contains(#"Image|endswith|cased: \\Syncro.exe"#))
        #expect(full.text.contains("correlation:"))
        let basic = try SigmaWriter(date: "1970-01-01", features: .basic).write(rule)
        var documents = try Yams.load_all(yaml: basic.text)
        let document = try #require(documents.next() as? [String: Any])
        let selection = try #require(try detection(document)["selection"] as? [String: Any])
        #expect(selection["Image|re"] as? String == #"\\Syncro\.exe$"#)
        #expect(selection["CommandLine|re"] as? String == #"^\-x\."#)
        #expect(selection["User"] as? String == "admin")
        #expect(!basic.text.contains("cased"))
        #expect(!basic.text.contains("correlation:"))
        #expect(basic.notes.contains { $0.fidelity == .leftOut && $0.message.contains("(summarize) are not carried") })
    }

    @Test func aRuleWithoutADateHasNoDateAndSaysSo() throws {
        let translation = try SigmaWriter().write(try ruleFromQuery("DeviceProcessEvents | where FileName =~ 'x.exe'"))
        #expect(!translation.text.contains("\ndate:"))
        #expect(translation.notes.contains { $0.message.hasPrefix("no date to write") })
    }

    @Test func hasIsATermRegexByDefault() throws {
        let (document, translation) = try sigma("DeviceProcessEvents | where ProcessVersionInfoCompanyName has 'Servably, Inc.'")
        let selection = try #require(try detection(document)["selection"] as? [String: Any])
        #expect(selection["Company|re|i"] as? String == "(^|[^A-Za-z0-9])Servably, Inc\\.")
        #expect(!translation.notes.contains { $0.fidelity.warrantsWarning })
    }

    @Test func aLookBackWithoutSummarizeIsLeftOutAndSaidSo() throws {
        let (_, translation) = try sigma("DeviceProcessEvents | where Timestamp > ago(1h) and FileName =~ 'syncro.exe'")
        #expect(translation.notes.map(\.fidelity) == [.leftOut])
        #expect(translation.notes.first?.message == "the KQL look-back of 1h is not carried; set the time range in the SIEM.")
    }

    @Test func containsFormIsMarkedAsBroader() throws {
        let (document, translation) = try sigma("DeviceProcessEvents | where ProcessVersionInfoCompanyName has 'Servably'", hasForm: .contains)
        let selection = try #require(try detection(document)["selection"] as? [String: Any])
        #expect(selection["Company|contains"] as? String == "Servably")
        #expect((document["description"] as? String)?.contains("broader than the KQL rule") == true)
        #expect(translation.notes.contains { $0.severity == .warning && $0.fidelity == .broadened && $0.message.contains("broader") })
    }

    @Test func hasAllBecomesOneSelectionPerNeedle() throws {
        let (document, _) = try sigma("DeviceNetworkEvents | where RemoteUrl has_all ('example', 'net')")
        let d = try detection(document)
        #expect(d["condition"] as? String == "(selection_1 and selection_2)")
        #expect((d["selection_1"] as? [String: Any])?["DestinationHostname|re|i"] as? String == "(^|[^A-Za-z0-9])example($|[^A-Za-z0-9])")
    }

    @Test func fileNameEqualityIsAnImageSuffix() throws {
        let (document, _) = try sigma("DeviceProcessEvents | where FileName =~ 'Syncro.exe'")
        let selection = try #require(try detection(document)["selection"] as? [String: Any])
        #expect(selection["Image|endswith"] as? String == "\\\\Syncro.exe")
    }

    @Test func applicableFalsePositivesBecomeFilters() throws {
        let (document, _) = try sigma(
            "DeviceProcessEvents | where FileName has 'syncro'",
            falsePositives: "x-falsePositives:\n  - scenario: Technician\n    description: MSP staff.\n    filter: user.name == \"msp-tech\"\n"
        )
        let d = try detection(document)
        #expect(d["condition"] as? String == "selection and not filter_fp_1")
        #expect((d["filter_fp_1"] as? [String: Any])?["User"] as? String == "msp-tech")
        #expect(document["falsepositives"] as? [String] == ["Technician: MSP staff."])
    }

    @Test func aQueryWithoutAFilterIsRefused() throws {
        let rule = try ruleFromQuery("DeviceProcessEvents | take 1")
        #expect(throws: WriterError.self) { try SigmaWriter().write(rule) }
    }

    @Test func theTimeWindowLeavesTheEventFilter() throws {
        let (document, translation) = try sigma("DeviceProcessEvents | where Timestamp > ago(1h) and FileName =~ 'a.exe' | summarize count() by DeviceId")
        #expect(try detection(document).keys.sorted() == ["condition", "selection"])
        #expect(translation.text.contains("timespan: 1h"))
        #expect(translation.text.contains("type: event_count"))
    }
}

@testable import RuleWriting
