import ArgumentParser
import Hunting

/// The SQL engines `test` and `hunt` run rules on (`--engine`); postgres is reached at `--db`,
/// spark through spark-submit at `--master`.
enum EngineName: String, ExpressibleByArgument, CaseIterable {
    case sqlite, postgres, spark

    static let postgresNeedsURL = "--engine postgres needs --db URL (a libpq connection URL)"

    /// A fresh, empty engine: an in-memory SQLite database, a rolled-back schema on the server,
    /// or a new Spark driver.
    func makeEngine(db: String?, master: String) throws -> QueryEngine {
        switch self {
        case .sqlite: try SQLiteEngine()
        case .postgres: try PostgresEngine(url: db ?? "")
        case .spark: try SparkEngine(master: master)
        }
    }
}
