import CSQLite

/// A value read from or bound to SQLite.
public enum SQLiteValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let n): String(n)
        case .real(let x): String(x)
        case .text(let s): s
        }
    }
}

public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// A small wrapper over the system SQLite (the engine `hunt` and the tests run SQL on).
public final class SQLiteDatabase {
    private var handle: OpaquePointer?

    /// Opens (or creates) a database; ":memory:" for an in-memory one.
    public init(path: String = ":memory:") throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(handle)
            throw SQLiteError(message: message)
        }
    }

    deinit {
        sqlite3_close(handle)
    }

    /// Runs statements that return no rows.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "error"
            sqlite3_free(error)
            throw SQLiteError(message: message)
        }
    }

    /// Runs one statement with bound parameters and returns its column names and rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> (columns: [String], rows: [[SQLiteValue]]) {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteError(message: String(cString: sqlite3_errmsg(handle)))
        }
        defer { sqlite3_finalize(statement) }
        bind(statement, parameters)
        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[SQLiteValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw SQLiteError(message: String(cString: sqlite3_errmsg(handle))) }
            rows.append((0..<count).map { column in
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
                case SQLITE_NULL: .null
                default: .text(Self.text(statement, column))
                }
            })
        }
        return (columns, rows)
    }

    /// A statement prepared once and run many times (bulk loading).
    public func prepare(_ sql: String) throws -> PreparedStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(message: String(cString: sqlite3_errmsg(handle)))
        }
        return PreparedStatement(statement: statement, database: handle)
    }

    /// Column text by its byte length, so an embedded NUL does not cut it short.
    private static func text(_ statement: OpaquePointer?, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}

/// A prepared statement for repeated execution with new parameters.
public final class PreparedStatement {
    private let statement: OpaquePointer
    private let database: OpaquePointer?

    init(statement: OpaquePointer, database: OpaquePointer?) {
        self.statement = statement
        self.database = database
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Binds `parameters` (missing ones are NULL) and runs the statement once.
    public func run(_ parameters: [SQLiteValue]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        bind(statement, parameters)
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw SQLiteError(message: String(cString: sqlite3_errmsg(database)))
        }
    }
}

/// Binds parameters 1...n; text by byte count, so an embedded NUL is kept.
private func bind(_ statement: OpaquePointer?, _ parameters: [SQLiteValue]) {
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for (offset, parameter) in parameters.enumerated() {
        let index = Int32(offset + 1)
        switch parameter {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let n): sqlite3_bind_int64(statement, index, n)
        case .real(let x): sqlite3_bind_double(statement, index, x)
        case .text(let s):
            var bytes = Array(s.utf8)
            sqlite3_bind_text(statement, index, &bytes, Int32(bytes.count), transient)
        }
    }
}
