import Support
import Testing

@Suite("Did you mean")
struct SuggestionTests {
    static let columns = ["InitiatingProcessAccountUpn", "AccountName", "DeviceName", "DeviceId", "RemoteUrl", "Timestamp"]

    @Test("one rule for every hint", arguments: [
        ("devicename", "DeviceName"),                 // the same but for case
        ("AccountUpn", "InitiatingProcessAccountUpn"), // contained, ignoring case
        ("RemoteURl", "RemoteUrl"),
        ("Timestmp", "Timestamp"),                     // one edit
        ("DevicId", "DeviceId"),
    ])
    func suggests(name: String, expected: String) {
        #expect(Suggestion.closest(to: name, among: Self.columns) == expected)
    }

    @Test func farNamesGetNoHint() {
        #expect(Suggestion.closest(to: "Signer", among: Self.columns) == nil)
        #expect(Suggestion.hint(for: "Signer", among: Self.columns) == "")
        // Two letters are too short to be looked for inside other names.
        #expect(Suggestion.closest(to: "Id", among: ["DeviceId", "ReportId"]) == nil)
    }

    @Test func thresholdGrowsWithTheName() {
        // A third of the length, at least two edits.
        #expect(Suggestion.closest(to: "refs", among: ["ref", "include"]) == "ref")
        #expect(Suggestion.closest(to: "xyz", among: ["ref"]) == nil)
        #expect(Suggestion.closest(to: "CommandAndKontrolle", among: ["CommandAndControl"]) == "CommandAndControl")
    }

    @Test func tiesGoToTheFirstInSortedOrderWhateverTheInputOrder() {
        #expect(Suggestion.closest(to: "cat", among: ["cut", "bat"]) == "bat")
        #expect(Suggestion.closest(to: "cat", among: Set(["bat", "cut"])) == "bat")
        #expect(Suggestion.hint(for: "refs", among: ["ref"]) == " (did you mean 'ref'?)")
    }

    @Test func editDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("same", "same") == 0)
    }
}
