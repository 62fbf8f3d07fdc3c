import RuleModel
import Testing

@Suite("KQL platforms")
struct QueryPlatformTests {
    func column(_ name: String) -> QueryExpression { .column(ColumnReference(name)) }

    @Test func sentinelReadsTimeGeneratedUntilAColumnNamedTimestampIsDefined() {
        let detection = Detection(source: TableReference("DeviceProcessEvents"), operators: [
            .filter(.comparison(.greater, column("Timestamp"), .ago(.days(1)))),
            .summarize(Summarize(aggregates: [Aggregate(.min, [column("Timestamp")]), Aggregate(name: "Timestamp", .max, [column("Timestamp")])], keys: [NamedExpression(column("DeviceId"))])),
            .filter(.comparison(.greater, column("Timestamp"), .ago(.days(1)))),
        ])
        let adapted = QueryPlatform.sentinel.adapting(detection, catalogue: .defender)
        #expect(KQLText.query(adapted) == """
        DeviceProcessEvents
        | where TimeGenerated > ago(1d)
        | summarize min_Timestamp = min(TimeGenerated), Timestamp = max(TimeGenerated) by DeviceId
        | where Timestamp > ago(1d)
        """)
        #expect(QueryPlatform.defender.adapting(detection, catalogue: .defender) == detection)
    }

    @Test func tablesWithoutTimestampAreLeftAlone() {
        let detection = Detection(source: TableReference("SigninLogs"), operators: [.filter(.comparison(.greater, column("Timestamp"), .long(1)))])
        #expect(QueryPlatform.sentinel.adapting(detection, catalogue: .defender) == detection)
    }
}
