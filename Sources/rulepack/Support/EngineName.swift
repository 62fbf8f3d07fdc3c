import ArgumentParser
import Hunting

/// The SQL engines `test` and `hunt` run rules on (`--engine`); postgres is reached at `--db`.
enum EngineName: String, ExpressibleByArgument, CaseIterable {
    case sqlite, postgres

    static let postgresNeedsURL = "--engine postgres needs --db URL (a libpq connection URL)"

    /// A fresh, empty engine: an in-memory SQLite database, or a rolled-back schema on the server.
    func makeEngine(db: String?) throws -> QueryEngine {
        switch self {
        case .sqlite: try SQLiteEngine()
        case .postgres: try PostgresEngine(url: db ?? "")
        }
    }
}
