import CLibPQ
import Foundation
import RuleModel
import RuleWriting

public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A PostgreSQL server reached through libpq, at a connection URL such as
/// `postgresql://user@localhost/db` or `host=/tmp port=5432 dbname=postgres`.
///
/// Everything happens in one transaction in a schema of its own, rolled back when the engine
/// is done with (or when the connection drops), so nothing is left on the server.
public final class PostgresEngine: QueryEngine {
    public let dialect = SQLDialect.postgres
    private let connection: OpaquePointer
    private let schema = "rulepack_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    public init(url: String) throws {
        guard let connection = PQconnectdb(url) else { throw PostgresError(message: "cannot connect to \(url)") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError(message: "cannot connect to PostgreSQL at \(url): \(message)")
        }
        self.connection = connection
        // UTC and ISO dates, so instants come back as the rule's KQL would show them.
        try execute("BEGIN; SET LOCAL TIME ZONE 'UTC'; SET LOCAL DateStyle = 'ISO'; CREATE SCHEMA \(schema); SET LOCAL search_path TO \(schema)")
    }

    deinit {
        PQclear(PQexec(connection, "ROLLBACK"))
        PQfinish(connection)
    }

    func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw PostgresError(message: String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func sqlType(_ type: ColumnType) -> String {
        switch type {
        case .datetime: "timestamptz"
        case .long: "bigint"
        case .int: "integer"
        case .bool: "boolean"
        case .real: "double precision"
        default: "text"
        }
    }

    public func createTables(_ catalogue: SchemaCatalogue) throws {
        let statements = catalogue.tables.values.sorted { $0.name < $1.name }.map { table in
            "CREATE TABLE \(dialect.identifier(table.name)) (" + table.columns.map { "\(dialect.identifier($0.name)) \(Self.sqlType($0.type))" }.joined(separator: ", ") + ")"
        }
        try execute(statements.joined(separator: ";\n"))
    }

    public func insert(_ rows: [[String: EventValue]], into table: TableSchema) throws {
        let columns = table.columns
        let sql = "INSERT INTO \(dialect.identifier(table.name)) (" + columns.map { dialect.identifier($0.name) }.joined(separator: ", ") + ") VALUES ("
            + columns.indices.map { "$\($0 + 1)::\(Self.sqlType(columns[$0].type))" }.joined(separator: ", ") + ")"
        for row in rows {
            // Every value goes as text with a cast; NULL as a null pointer.
            let texts: [String?] = columns.map { (row[$0.name] ?? .null).text }
            let pointers = texts.map { $0.flatMap { strdup($0) } }
            defer { pointers.forEach { free($0) } }
            let result = pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
                PQexecParams(connection, sql, Int32(columns.count), nil, values.baseAddress, nil, nil, 0)
            }
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                throw PostgresError(message: String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    /// Each row comes back as JSON (`row_to_json`), so arrays, numbers and instants keep their
    /// types without parsing PostgreSQL's text forms.
    public func query(_ sql: String, types: [String: ColumnType]) throws -> (columns: [String], rows: [[ResultValue]]) {
        // `sql` is one statement without a semicolon (SQLWriter.statement).
        let wrapped = "SELECT \"rulepack result\".*, row_to_json(\"rulepack result\")::text FROM (\n\(sql)\n) AS \"rulepack result\""
        let result = PQexec(connection, wrapped)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw PostgresError(message: String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let fields = Int(PQnfields(result))
        let columns = (0..<(fields - 1)).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [[ResultValue]] = []
        for row in 0..<PQntuples(result) {
            let json = String(cString: PQgetvalue(result, row, Int32(fields - 1)))
            guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else {
                throw PostgresError(message: "unreadable row: \(json)")
            }
            rows.append(columns.map { object[$0].map(SQLiteEngine.resultValue) ?? .null })
        }
        return (columns, rows)
    }
}
