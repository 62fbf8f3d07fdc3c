import RuleModel
@testable import RuleWriting
import Testing

@Suite("SQL time spans")
struct SQLSpanTests {
    @Test("span text", arguments: [
        (Timespan.days(5), "5 days"), (Timespan.days(-5), "-5 days"),
        (Timespan(ticks: -90 * 60 * Timespan.ticksPerSecond), "-90 minutes"),
        (Timespan(ticks: 36 * 3_600 * Timespan.ticksPerSecond), "36 hours"),
        (Timespan(ticks: 15_000_000), "1.5 seconds"), (Timespan(ticks: -5_000_000), "-0.5 seconds"),
        (Timespan(ticks: 10_000), "0.001 seconds"), (Timespan(ticks: 1), "0.0000001 seconds"),
    ])
    func text(span: Timespan, expected: String) {
        #expect(SQLDialect.spanText(span) == expected)
    }

    @Test func dialectsWrapTheSameText() {
        #expect(SQLDialect.sqlite.span(.days(-5)) == "'-5 days'")
        #expect(SQLDialect.postgres.span(.days(-5)) == "interval '-5 days'")
    }
}
