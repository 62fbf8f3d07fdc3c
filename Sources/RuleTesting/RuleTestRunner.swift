import Foundation
import Hunting
import RuleModel
import RuleReading
import RuleWriting
import Support

/// What one case gave.
public struct CaseResult: Sendable, Codable {
    public var name: String
    public var line: Int
    public var passed: Bool
    /// On failure: a headline, then `- expected row` and `+ found row` lines.
    public var diff: [String]
    /// Set when the case could not run (the rule does not translate, the engine refused the SQL).
    public var error: String?
    /// What the engine found, in output-column order (`foundColumns`), for `--update`.
    public var found: [[String: ExpectedValue]] = []
    public var foundColumns: [String] = []
}

/// What one test file gave.
public struct FileResult: Sendable, Codable {
    public var file: String
    public var rule: String
    public var ruleName: String
    public var engine: String
    public var cases: [CaseResult]

    public var failures: Int { cases.filter { !$0.passed }.count }
}

/// Runs a test file's cases on fresh engines: each case loads its events into empty tables,
/// runs the rule's SQL with now() pinned to the file's `now`, and compares the findings.
public struct RuleTestRunner {
    public var catalogue: SchemaCatalogue
    /// Makes a fresh, empty engine; each case gets its own, so nothing carries over.
    public var makeEngine: () throws -> QueryEngine

    public init(catalogue: SchemaCatalogue = .defender, makeEngine: @escaping () throws -> QueryEngine) {
        self.catalogue = catalogue
        self.makeEngine = makeEngine
    }

    /// The rule's output columns and their types; an expected column the rule does not return
    /// is a test-file error at the case's `expect`.
    public func outputTypes(of rule: Rule, for file: RuleTestFile) throws(TestFileError) -> [String: ColumnType] {
        guard let output = rule.findingColumns(catalogue: catalogue) else {
            throw TestFileError(file.path, file.rulePosition, "the rule reads '\(rule.detection.source.name)', a table rulepack has no schema for")
        }
        let types = Dictionary(output.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        for testCase in file.cases {
            for column in Set(testCase.expect.flatMap(\.keys)).sorted() where types[column] == nil {
                throw TestFileError(file.path, testCase.expectPosition, "the rule's findings have no column '\(column)'\(Suggestion.hint(for: column, among: output.map(\.name))); they have \(output.map(\.name).joined(separator: ", "))")
            }
        }
        return types
    }

    public func run(_ file: RuleTestFile, rule: Rule) throws(TestFileError) -> FileResult {
        let types = try outputTypes(of: rule, for: file)
        let match = FindingsMatch(types: types)
        var results: [CaseResult] = []
        var engineName = ""
        for testCase in file.cases {
            var result = CaseResult(name: testCase.name, line: testCase.position.line, passed: false, diff: [], error: nil)
            do {
                let engine = try makeEngine()
                engineName = engine.dialect.name
                try engine.createTables(catalogue)
                for (table, rows) in testCase.events {
                    guard let schema = catalogue.table(named: table) else { continue }
                    try engine.insert(rows, into: schema)
                }
                let sql = try SQLWriter(dialect: engine.dialect, catalogue: catalogue, pinnedNow: file.now).statement(rule)
                let (columns, rows) = try engine.query(sql, types: types)
                result.found = match.found(columns: columns, rows: rows)
                result.foundColumns = columns
                if let diff = match.difference(expected: testCase.expect, columns: columns, rows: rows) {
                    result.diff = diff
                } else {
                    result.passed = true
                }
            } catch let error as WriterError {
                result.error = "the rule does not translate to \(engineName.isEmpty ? "SQL" : engineName): \(error.message)"
            } catch {
                result.error = "\(error)"
            }
            results.append(result)
        }
        return FileResult(file: file.path, rule: rule.metadata.id ?? "", ruleName: rule.metadata.name ?? "", engine: engineName, cases: results)
    }
}

extension RuleTestRunner {
    /// Runs a test file's text against a rule file's text (for tests written alongside
    /// generated rules, before either is on disk).
    public static func run(tests: String, rule: String, ruleFileName: String, makeEngine: @escaping () throws -> QueryEngine) throws -> FileResult {
        let read = SentinelRuleReader().read(text: rule, path: ruleFileName)
        guard let parsed = read.rule, !read.hasErrors else {
            throw TestFileError(ruleFileName, SourcePosition(line: 1, column: 1), "the rule does not read: \(read.diagnostics.first?.message ?? "")")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("generated" + RuleTestFile.suffix).path
        try tests.write(toFile: path, atomically: true, encoding: .utf8)
        return try RuleTestRunner(makeEngine: makeEngine).run(try RuleTestFileReader().read(fileAt: path), rule: parsed)
    }
}
