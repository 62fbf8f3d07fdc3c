import Foundation
import RuleModel
import RuleWriting
import SQLiteDatabase

/// A value of a query's result, as engines return them: sets and lists come back as `list`
/// whether the engine holds them as arrays (PostgreSQL) or as JSON text (SQLite).
public indirect enum ResultValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case list([ResultValue])

    public var description: String {
        switch self {
        case .null: "null"
        case .integer(let n): String(n)
        case .real(let x): String(x)
        case .text(let s): s
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A SQL engine rules run on: tables named like the Defender tables, filled with typed events,
/// queried with the SQL of the engine's dialect. Detection tests run every case on a fresh one.
public protocol QueryEngine: AnyObject {
    var dialect: SQLDialect { get }
    /// Creates every table of the catalogue, empty.
    func createTables(_ catalogue: SchemaCatalogue) throws
    func insert(_ rows: [[String: EventValue]], into table: TableSchema) throws
    /// Runs one statement. Columns of type `dynamic` (sets, lists) come back as lists.
    func query(_ sql: String, types: [String: ColumnType]) throws -> (columns: [String], rows: [[ResultValue]])
}

/// The embedded engine: an in-memory SQLite database, with datetimes as Defender's ISO-8601 text.
public final class SQLiteEngine: QueryEngine {
    public let dialect = SQLDialect.sqlite
    let database: SQLiteDatabase

    /// A fresh in-memory database.
    public init() throws {
        database = try SQLiteDatabase()
    }

    /// An open database (hunt's, which may be a file kept between runs).
    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func createTables(_ catalogue: SchemaCatalogue) throws {
        try EventLoader(database: database, catalogue: catalogue).createMissingTables()
    }

    public func insert(_ rows: [[String: EventValue]], into table: TableSchema) throws {
        let columns = table.columns
        let statement = try EventLoader(database: database).insert(table.name, columns)
        for row in rows {
            try statement.run(columns.map { column in
                switch row[column.name] ?? .null {
                case .null: .null
                case .string(let s), .datetime(let s): .text(s)
                case .long(let n): .integer(n)
                case .real(let x): .real(x)
                case .bool(let b): .integer(b ? 1 : 0)
                }
            })
        }
    }

    public func query(_ sql: String, types: [String: ColumnType]) throws -> (columns: [String], rows: [[ResultValue]]) {
        let (columns, rows) = try database.query(sql)
        return (columns, rows.map { row in
            zip(columns, row).map { column, value in
                switch value {
                case .null: return .null
                case .integer(let n): return .integer(n)
                case .real(let x): return .real(x)
                case .text(let s): return Self.textValue(s, types[column])
                }
            }
        })
    }

    /// Text from an engine that keeps dynamic values (sets, lists) as JSON: a JSON array in a
    /// dynamic column is a list, anything else is text.
    static func textValue(_ text: String, _ type: ColumnType?) -> ResultValue {
        if type == .dynamic, let array = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any] {
            return .list(array.map(resultValue))
        }
        return .text(text)
    }

    static func resultValue(_ json: Any) -> ResultValue {
        switch json {
        case is NSNull: return .null
        case let s as String: return .text(s)
        case let n as NSNumber:
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 9e18 ? .integer(n.int64Value) : .real(d)
        case let array as [Any]: return .list(array.map(resultValue))
        default: return .text("\(json)")
        }
    }
}
