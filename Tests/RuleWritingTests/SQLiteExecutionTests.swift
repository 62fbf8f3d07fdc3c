import Foundation
import RuleModel
import RuleTestSupport
import RuleWriting
import SQLiteDatabase
import Testing

/// The SQL of each SyncroMSP rule, run by SQLite over the fixture events (which hold the `has`
/// edge cases of KQL's term matching), returns exactly the groups, counts and sets written by hand in
/// Tests/Fixtures/expected. PostgreSQL runs the same check in Tests/oracles.
@Suite("SQL executed in SQLite")
struct SQLiteExecutionTests {
    static let rules = [
        ("rmm_SyncroMSP_filesig", "3510a677-6a63-45f5-a0cd-509c5b865e0e"),
        ("rmm_SyncroMSP_createproc", "d22805c7-d987-48d3-bb98-5e1d4bb053af"),
        ("rmm_SyncroMSP_netconn", "b9e378d6-850c-4b7d-9133-b4be3c7433eb"),
    ]

    @Test("expected groups", arguments: rules)
    func expectedGroups(rule name: String, id: String) throws {
        let events = FixtureEvents()
        let db = try SQLiteDatabase()
        try events.load(into: db, rows: try FixtureEvents.fixtureRows())
        let rule = try readRule(Paths.packRule(name))
        let sql = try SQLWriter(dialect: .sqlite, pinnedNow: FixtureEvents.pinnedNowText).write(rule).text
        let (columns, rows) = try db.query(sql)

        let expectedURL = Paths.fixtures.appendingPathComponent("expected/\(id).json")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? [String: Any])
        let keys = try #require(expected["keys"] as? [String])
        let groups = try #require(expected["groups"] as? [[String: Any]])
        #expect(columns == keys + ["FirstSeen", "LastSeen", "Report", "Count"])

        var actual: [String: [String]] = [:]
        for row in rows {
            let values = Dictionary(uniqueKeysWithValues: zip(columns, row))
            let key = keys.map { values[$0]?.description ?? "NULL" }.joined(separator: "|")
            let report = try #require(values["Report"]).description
            let ids = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [Int]).sorted()
            actual[key] = [values["FirstSeen"]?.description ?? "", values["LastSeen"]?.description ?? "", ids.map(String.init).joined(separator: ","), values["Count"]?.description ?? ""]
        }
        var wanted: [String: [String]] = [:]
        for group in groups {
            let key = keys.map { group[$0] as? String ?? "NULL" }.joined(separator: "|")
            let report = (group["Report"] as? [Int] ?? []).sorted().map(String.init).joined(separator: ",")
            wanted[key] = [
                try events.timestamp(age: group["FirstSeen"] as? String ?? ""),
                try events.timestamp(age: group["LastSeen"] as? String ?? ""),
                report, String(group["Count"] as? Int ?? -1),
            ]
        }
        #expect(actual == wanted)
    }
}
