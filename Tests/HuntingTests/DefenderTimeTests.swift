@testable import Hunting
import Testing

/// Every instant form events use, as the one text form findings are compared in.
@Suite("Defender time")
struct DefenderTimeTests {
    @Test("forms", arguments: [
        ("2026-11-28T10:00:00.0000000Z", "2026-11-28T10:00:00.0000000Z"),
        ("2026-11-28T10:00:00.1234567Z", "2026-11-28T10:00:00.1234567Z"),
        ("2026-11-28T10:00:00Z", "2026-11-28T10:00:00.0000000Z"),
        ("2026-11-28 10:00:00.5", "2026-11-28T10:00:00.5000000Z"),
        ("2026-11-28", "2026-11-28T00:00:00.0000000Z"),
        ("2026-11-28T10:00", "2026-11-28T10:00:00.0000000Z"),
        ("2026-11-28T01:30:00+02:00", "2026-11-27T23:30:00.0000000Z"),
        ("2026-11-28T23:30:00-0130", "2026-11-29T01:00:00.0000000Z"),
        ("2024-02-29T00:00:00.0000000Z", "2024-02-29T00:00:00.0000000Z"),
    ])
    func form(text: String, canonical: String) {
        #expect(DefenderTime.text(text) == canonical)
    }

    @Test("malformed", arguments: ["2026-02-30T00:00:00Z", "2026-02-29T00:00:00.0000000Z", "2026-11-28T24:00:00.0000000Z",
                                   "2026-13-01", "yesterday", "2026-11-28T10:00:00+5", "2026-11-28T10:00:00.12345678Z"])
    func malformed(text: String) {
        #expect(DefenderTime.text(text) == nil)
    }
}
