import Foundation
import RuleModel
import SQLiteDatabase

/// An events file and the table it fills.
public struct EventFile: Sendable {
    public var table: String
    public var path: String

    /// `TABLE=FILE`, or a file named after its table (`DeviceNetworkEvents.csv`, `.jsonl`).
    public init(argument: String) {
        if let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") {
            table = String(argument[..<equals])
            path = String(argument[argument.index(after: equals)...])
        } else {
            path = argument
            table = URL(fileURLWithPath: argument).deletingPathExtension().lastPathComponent
        }
    }

    var isJSONLines: Bool {
        ["jsonl", "ndjson", "json"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
    }
}

/// A line of an events file that was not loaded, and why.
public struct LoadProblem: Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path):\(line):1: warning: \(message); the line is skipped" }
}

public struct LoadReport: Sendable {
    public var table: String
    public var path: String
    public var rows: Int
    public var problems: [LoadProblem]
    /// Columns the file has that the table's schema does not (kept as text).
    public var extraColumns: [String]
}

/// Loads Defender exports into SQLite tables named like the Defender tables: the schema's
/// columns (missing ones are NULL) plus any others the file has. Timestamps stay as the ISO-8601
/// text Defender writes, which the SQLite dialect compares through julianday().
public struct EventLoader {
    public let database: SQLiteDatabase
    public var catalogue: SchemaCatalogue

    public init(database: SQLiteDatabase, catalogue: SchemaCatalogue = .defender) {
        self.database = database
        self.catalogue = catalogue
    }

    /// Replaces the table's rows with the file's (loading the same file twice does not
    /// duplicate it). `progress` gets bytes read and the file's size.
    public func load(_ file: EventFile, progress: ((Int, Int) -> Void)? = nil) throws -> LoadReport {
        let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
        let bytes = [UInt8](data)
        try database.execute("PRAGMA synchronous = OFF")
        try database.execute("BEGIN")
        do {
            let report = file.isJSONLines
                ? try loadJSONLines(bytes, file, progress: progress)
                : try loadCSV(bytes, file, progress: progress)
            try database.execute("COMMIT")
            return report
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Creates every catalogue table that does not exist yet, empty, so a rule over a table
    /// without events runs and finds nothing (hunt says which tables have no events).
    public func createMissingTables() throws {
        // Read first: on a database file each CREATE is a journalled write, so none is issued
        // when every table is there already, and the rest go in one transaction.
        let existing = Set(try database.query("SELECT name FROM sqlite_master WHERE type = 'table'").rows.compactMap { row -> String? in
            if case .text(let name)? = row.first { return name }
            return nil
        })
        let missing = catalogue.tables.keys.sorted().filter { !existing.contains($0) }
        guard !missing.isEmpty else { return }
        var statements = ["BEGIN"]
        for table in missing {
            let columns = schemaColumns(table).map { "\"\($0.name)\" \(Self.sqliteType($0.type))" }
            statements.append("CREATE TABLE \"\(table)\" (\(columns.joined(separator: ", ")))")
        }
        try database.execute((statements + ["COMMIT"]).joined(separator: ";\n"))
    }

    /// Whether a table has any rows (false when it does not exist); a probe, not a count.
    public func hasRows(_ table: String) -> Bool {
        let result = try? database.query("SELECT 1 FROM \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\" LIMIT 1")
        return !(result?.rows.isEmpty ?? true)
    }

    private func schemaColumns(_ table: String) -> [ColumnSchema] {
        catalogue.table(named: table)?.columns ?? []
    }

    /// Creates the table afresh with the schema's columns and `extra` ones.
    private func createTable(_ table: String, extra: [String]) throws -> [ColumnSchema] {
        var columns = schemaColumns(table)
        for name in extra where !columns.contains(where: { $0.name == name }) {
            columns.append(ColumnSchema(name: name, type: .string))
        }
        let quoted = columns.map { "\"\($0.name.replacingOccurrences(of: "\"", with: "\"\""))\" \(Self.sqliteType($0.type))" }
        let name = "\"\(table.replacingOccurrences(of: "\"", with: "\"\""))\""
        try database.execute("DROP TABLE IF EXISTS \(name); CREATE TABLE \(name) (\(quoted.joined(separator: ", ")))")
        return columns
    }

    /// The INSERT of one row of `columns` into `table` (also the embedded engine's).
    func insert(_ table: String, _ columns: [ColumnSchema]) throws -> PreparedStatement {
        let names = columns.map { "\"\($0.name.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return try database.prepare("INSERT INTO \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\" (\(names)) VALUES (\(marks))")
    }

    static func sqliteType(_ type: ColumnType) -> String {
        switch type {
        case .long, .int, .bool: "INTEGER"
        case .real: "REAL"
        default: "TEXT"
        }
    }

    /// A field's text as a value of the column's type. An empty field is NULL except for
    /// strings, where it is "" (KQL's missing string).
    static func value(_ text: String, _ type: ColumnType) -> SQLiteValue {
        if text.isEmpty { return type == .string ? .text("") : .null }
        switch type {
        case .long, .int: return Int64(text).map(SQLiteValue.integer) ?? .text(text)
        case .real: return Double(text).map(SQLiteValue.real) ?? .text(text)
        case .bool:
            switch text.lowercased() {
            case "true", "1": return .integer(1)
            case "false", "0": return .integer(0)
            default: return .text(text)
            }
        default: return .text(text)
        }
    }

    private func loadCSV(_ bytes: [UInt8], _ file: EventFile, progress: ((Int, Int) -> Void)?) throws -> LoadReport {
        var reader = CSVReader(bytes)
        var problems: [LoadProblem] = []
        guard let header = try? reader.next() else {
            _ = try createTable(file.table, extra: [])
            return LoadReport(table: file.table, path: file.path, rows: 0, problems: [], extraColumns: [])
        }
        let known = Set(schemaColumns(file.table).map(\.name))
        let extra = header.fields.filter { !known.contains($0) }
        let columns = try createTable(file.table, extra: extra)
        let types = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let order = header.fields.map { types[$0] ?? .string }
        let statement = try insert(file.table, header.fields.map { ColumnSchema(name: $0, type: types[$0] ?? .string) })
        var rows = 0
        while true {
            let record: CSVReader.Record?
            do {
                record = try reader.next()
            } catch {
                switch error {
                case .unterminatedQuote(let line):
                    problems.append(LoadProblem(path: file.path, line: line, message: "a quoted field is never closed (the rest of the file is in it)"))
                    record = nil
                case .textAfterQuote(let line):
                    problems.append(LoadProblem(path: file.path, line: line, message: "text after a closing quote"))
                    continue
                }
            }
            guard let record else { break }
            if record.fields == [""] { continue }
            guard record.fields.count == header.fields.count else {
                problems.append(LoadProblem(path: file.path, line: record.line, message: "\(record.fields.count) fields where the header has \(header.fields.count)"))
                continue
            }
            try statement.run(zip(record.fields, order).map { Self.value($0, $1) })
            rows += 1
            if rows % 10_000 == 0 { progress?(reader.consumedBytes, bytes.count) }
        }
        progress?(bytes.count, bytes.count)
        return LoadReport(table: file.table, path: file.path, rows: rows, problems: problems, extraColumns: extra)
    }

    private func loadJSONLines(_ bytes: [UInt8], _ file: EventFile, progress: ((Int, Int) -> Void)?) throws -> LoadReport {
        var columns = try createTable(file.table, extra: [])
        var types = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        var statement = try insert(file.table, columns)
        var extra: [String] = []
        var problems: [LoadProblem] = []
        var rows = 0
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                problems.append(LoadProblem(path: file.path, line: lineNumber, message: "not a JSON object"))
                continue
            }
            let unknown = object.keys.filter { types[$0] == nil }.sorted()
            if !unknown.isEmpty {
                for name in unknown {
                    try database.execute("ALTER TABLE \"\(file.table.replacingOccurrences(of: "\"", with: "\"\""))\" ADD COLUMN \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\" TEXT")
                    columns.append(ColumnSchema(name: name, type: .string))
                    types[name] = .string
                    extra.append(name)
                }
                statement = try insert(file.table, columns)
            }
            try statement.run(columns.map { column in
                guard let value = object[column.name] else { return .null }
                return Self.value(json: value, column.type)
            })
            rows += 1
            if rows % 10_000 == 0 { progress?(start, bytes.count) }
        }
        progress?(bytes.count, bytes.count)
        return LoadReport(table: file.table, path: file.path, rows: rows, problems: problems, extraColumns: extra)
    }

    static func value(json: Any, _ type: ColumnType) -> SQLiteValue {
        switch json {
        case is NSNull: return .null
        case let s as String: return value(s, type)
        case let n as NSNumber:
            if type == .bool { return .integer(n.boolValue ? 1 : 0) }
            if type == .real { return .real(n.doubleValue) }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 9e18 ? .integer(n.int64Value) : .real(d)
        default:
            // Nested objects and arrays (AdditionalFields) are kept as JSON text.
            let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
            return .text(String(decoding: data, as: UTF8.self))
        }
    }
}
