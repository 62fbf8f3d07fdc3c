import Foundation
import RuleModel
import RuleTesting
import Testing

/// Problems with a test file are errors at their line and column, not failed tests.
@Suite("Test file reader")
struct RuleTestFileReaderTests {
    static let header = "rule: 3510a677-6a63-45f5-a0cd-509c5b865e0e\nnow: 2026-11-29T12:00:00Z\ncases:\n"

    func read(_ text: String) throws -> RuleTestFile {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-testfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.tests.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return try RuleTestFileReader().read(fileAt: url.path)
    }

    func expectError(_ text: String, line: Int, column: Int, _ message: String) {
        do {
            _ = try read(text)
            Issue.record("read without error")
        } catch let error as TestFileError {
            #expect(error.position == SourcePosition(line: line, column: column), "\(error)")
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func rowsAreTypedByTheTableSchema() throws {
        let file = try read(Self.header + """
          - name: typed
            events:
              DeviceNetworkEvents:
                - {Timestamp: 2026-11-28T10:00:00+01:00, RemotePort: 443, RemoteUrl: "a.com", DeviceName: null}
            expect:
              - {Count: 1, Report: [1, 2]}
        """)
        #expect(file.now == "2026-11-29T12:00:00.0000000Z")
        #expect(file.rule == .id("3510a677-6a63-45f5-a0cd-509c5b865e0e"))
        let row = try #require(file.cases.first?.events.first?.rows.first)
        #expect(row["Timestamp"] == .datetime("2026-11-28T09:00:00.0000000Z"))
        #expect(row["RemotePort"] == .long(443))
        #expect(row["RemoteUrl"] == .string("a.com"))
        #expect(row["DeviceName"] == .null)
        #expect(file.cases.first?.expect == [["Count": .scalar("1"), "Report": .list([.scalar("1"), .scalar("2")])]])
    }

    @Test func aColumnTheTableDoesNotHave() {
        expectError(Self.header + "  - name: x\n    events:\n      DeviceNetworkEvents:\n        - {RemoteURL: a.com}\n    expect: []\n",
                    line: 7, column: 12, "DeviceNetworkEvents has no column 'RemoteURL' (did you mean 'RemoteUrl'?)")
    }

    @Test func anUnknownTable() {
        expectError(Self.header + "  - name: x\n    events:\n      DeviceNetworkEvent: []\n    expect: []\n",
                    line: 6, column: 7, "unknown table 'DeviceNetworkEvent' (did you mean 'DeviceNetworkEvents'?)")
    }

    @Test func aMalformedTime() {
        expectError(Self.header + "  - name: x\n    events:\n      DeviceNetworkEvents:\n        - {Timestamp: 2026-13-28T10:00:00Z}\n    expect: []\n",
                    line: 7, column: 23, "'2026-13-28T10:00:00Z' is not a value of type datetime (an ISO-8601 time such as 2026-11-28T10:00:00Z) for Timestamp")
        expectError("rule: x\nnow: yesterday\ncases: []\n", line: 2, column: 6, "'now' is not an ISO-8601 time")
    }

    @Test func aValueItsColumnCannotHold() {
        expectError(Self.header + "  - name: x\n    events:\n      DeviceNetworkEvents:\n        - {RemotePort: https}\n    expect: []\n",
                    line: 7, column: 24, "'https' is not a value of type int for RemotePort")
    }

    @Test func anEventsFileThatDoesNotExist() {
        expectError(Self.header + "  - name: x\n    events:\n      DeviceNetworkEvents: no-such.csv\n    expect: []\n",
                    line: 6, column: 28, "cannot read events from 'no-such.csv'")
    }

    @Test func missingAndUnknownKeys() {
        expectError(Self.header + "  - name: x\n    events: {}\n", line: 4, column: 5, "the case has no 'expect'")
        expectError(Self.header + "  - name: x\n    expected: []\n", line: 5, column: 5, "unknown key 'expected' (did you mean 'expect'?)")
        expectError("now: 2026-11-29T12:00:00Z\ncases: []\n", line: 1, column: 1, "the test file has no 'rule'")
    }

    @Test func brokenYAMLIsReportedWhereItBreaks() {
        expectError(Self.header + "  - name: [x\n", line: 5, column: 1, "invalid YAML")
    }
}
