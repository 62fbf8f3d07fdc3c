import Foundation
import Hunting
import RuleModel
import Support
import Yams
import YAMLLoading

/// Reads a `*.tests.yaml` file. Every problem is a `TestFileError` at its line and column:
/// a missing key, an unknown table or column, a value its column cannot hold, a malformed time,
/// an events file that does not exist.
public struct RuleTestFileReader {
    public var catalogue: SchemaCatalogue

    public init(catalogue: SchemaCatalogue = .defender) {
        self.catalogue = catalogue
    }

    public func read(fileAt path: String) throws(TestFileError) -> RuleTestFile {
        let root: Node?
        do {
            root = try BoundedYAML.load(fileAt: path).root
        } catch {
            throw TestFileError(path, SourcePosition(line: error.line, column: error.column), error.message)
        }
        var document = Document(path: path, catalogue: catalogue)
        return try document.file(root)
    }

    struct Document {
        let path: String
        let catalogue: SchemaCatalogue

        func at(_ node: Node?) -> SourcePosition {
            node?.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
        }

        func fail(_ node: Node?, _ message: String) -> TestFileError {
            TestFileError(path, at(node), message)
        }

        func mapping(_ node: Node?, _ what: String) throws(TestFileError) -> [(key: String, keyNode: Node, value: Node)] {
            guard case .mapping(let m)? = node else { throw fail(node, "expected \(what) (a mapping)") }
            return m.map { ($0.key.string ?? "", $0.key, $0.value) }
        }

        func scalar(_ node: Node?, _ what: String) throws(TestFileError) -> String {
            guard case .scalar(let s)? = node else { throw fail(node, "expected \(what) (a single value)") }
            return s.string
        }

        /// Rejects keys other than `known`, with a "did you mean".
        func onlyKeys(_ entries: [(key: String, keyNode: Node, value: Node)], _ known: [String]) throws(TestFileError) {
            for entry in entries where !known.contains(entry.key) {
                throw fail(entry.keyNode, "unknown key '\(entry.key)'\(Suggestion.hint(for: entry.key, among: known)); expected \(known.joined(separator: ", "))")
            }
        }

        mutating func file(_ root: Node?) throws(TestFileError) -> RuleTestFile {
            let entries = try mapping(root, "a test file with rule, now and cases")
            try onlyKeys(entries, ["rule", "now", "cases"])
            func value(_ key: String) throws(TestFileError) -> Node {
                guard let entry = entries.first(where: { $0.key == key }) else { throw fail(root, "the test file has no '\(key)'") }
                return entry.value
            }
            let ruleNode = try value("rule")
            let ruleText = try scalar(ruleNode, "the rule's id or a path to it")
            let rule: RuleTestFile.RuleReference = ruleText.hasSuffix(".yaml") || ruleText.hasSuffix(".yml") || ruleText.contains("/") ? .path(ruleText) : .id(ruleText)
            let nowNode = try value("now")
            guard let now = DefenderTime.text(try scalar(nowNode, "an ISO-8601 UTC time")) else {
                throw fail(nowNode, "'now' is not an ISO-8601 time such as 2026-11-29T12:00:00Z")
            }
            let casesNode = try value("cases")
            guard case .sequence(let items) = casesNode else { throw fail(casesNode, "'cases' must be a list") }
            var cases: [TestCase] = []
            for item in items {
                cases.append(try testCase(item))
            }
            return RuleTestFile(path: path, rule: rule, rulePosition: at(ruleNode), now: now, cases: cases)
        }

        func testCase(_ node: Node) throws(TestFileError) -> TestCase {
            let entries = try mapping(node, "a case with name, events and expect")
            try onlyKeys(entries, ["name", "events", "expect"])
            guard let nameEntry = entries.first(where: { $0.key == "name" }) else { throw fail(node, "the case has no 'name'") }
            guard let expectEntry = entries.first(where: { $0.key == "expect" }) else { throw fail(node, "the case has no 'expect' (write [] for no findings)") }
            var events: [(table: String, rows: [[String: EventValue]])] = []
            if let eventsEntry = entries.first(where: { $0.key == "events" }) {
                for (table, tableNode, rowsNode) in try mapping(eventsEntry.value, "events: table names with their rows") {
                    guard let schema = catalogue.table(named: table) else {
                        throw fail(tableNode, "unknown table '\(table)'\(Suggestion.hint(for: table, among: catalogue.tables.keys))")
                    }
                    events.append((table, try rows(rowsNode, schema)))
                }
            }
            guard case .sequence(let expectItems) = expectEntry.value else { throw fail(expectEntry.value, "'expect' must be a list of findings ([] for none)") }
            var expect: [[String: ExpectedValue]] = []
            for item in expectItems {
                var row: [String: ExpectedValue] = [:]
                for (column, _, valueNode) in try mapping(item, "a finding: output columns and their values") {
                    row[column] = try expected(valueNode)
                }
                expect.append(row)
            }
            return TestCase(
                name: try scalar(nameEntry.value, "the case's name"), position: at(nameEntry.keyNode),
                events: events, expect: expect, expectPosition: at(expectEntry.keyNode)
            )
        }

        /// A table's rows: a list written out, or a CSV or JSON Lines file relative to the test file.
        func rows(_ node: Node, _ schema: TableSchema) throws(TestFileError) -> [[String: EventValue]] {
            if case .scalar(let s) = node {
                let file = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(s.string).standardizedFileURL.path
                let records: [[String: String]]
                do {
                    records = try EventRecords.read(fileAt: file)
                } catch {
                    throw fail(node, "cannot read events from '\(s.string)': \(error)")
                }
                var rows: [[String: EventValue]] = []
                for record in records {
                    var row: [String: EventValue] = [:]
                    for (column, text) in record {
                        guard let columnSchema = schema.column(named: column) else {
                            throw fail(node, "\(s.string): \(schema.name) has no column '\(column)'\(Suggestion.hint(for: column, among: schema.columns.map(\.name)))")
                        }
                        guard let value = EventValue(text, as: columnSchema.type) else {
                            throw fail(node, "\(s.string): '\(text)' is not a value of type \(columnSchema.type.rawValue) (column \(column))")
                        }
                        row[column] = value
                    }
                    rows.append(row)
                }
                return rows
            }
            guard case .sequence(let items) = node else { throw fail(node, "a table's events are a list of rows or a CSV/JSON Lines file path") }
            var rows: [[String: EventValue]] = []
            for item in items {
                var row: [String: EventValue] = [:]
                for (column, keyNode, valueNode) in try mapping(item, "an event: columns and their values") {
                    guard let columnSchema = schema.column(named: column) else {
                        throw fail(keyNode, "\(schema.name) has no column '\(column)'\(Suggestion.hint(for: column, among: schema.columns.map(\.name)))")
                    }
                    guard case .scalar(let s) = valueNode else { throw fail(valueNode, "an event's value is a single value") }
                    if s.style == .plain, ["null", "~", ""].contains(s.string) {
                        row[column] = .null
                        continue
                    }
                    guard let value = EventValue(s.string, as: columnSchema.type) else {
                        let hint = columnSchema.type == .datetime ? " (an ISO-8601 time such as 2026-11-28T10:00:00Z)" : ""
                        throw fail(valueNode, "'\(s.string)' is not a value of type \(columnSchema.type.rawValue)\(hint) for \(column)")
                    }
                    row[column] = value
                }
                rows.append(row)
            }
            return rows
        }

        func expected(_ node: Node) throws(TestFileError) -> ExpectedValue {
            switch node {
            case .scalar(let s):
                return s.style == .plain && ["null", "~"].contains(s.string) ? .null : .scalar(s.string)
            case .sequence(let items):
                var values: [ExpectedValue] = []
                for item in items { values.append(try expected(item)) }
                return .list(values)
            default:
                throw fail(node, "an expected value is a single value or a list")
            }
        }
    }
}
