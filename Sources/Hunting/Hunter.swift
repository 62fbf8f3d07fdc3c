import Foundation
import RuleModel
import RuleWriting
import SQLiteDatabase

/// What one rule found: its result rows (the KQL query's columns), or why it could not run.
public struct RuleFindings: Sendable {
    public var rule: Rule
    public var columns: [String]
    public var rows: [[SQLiteValue]]
    public var error: String?
}

/// Runs rules' SQL (SQLite dialect) over loaded events.
public struct Hunter {
    public let database: SQLiteDatabase
    public var pinnedNow: String?

    public init(database: SQLiteDatabase, pinnedNow: String? = nil) {
        self.database = database
        self.pinnedNow = pinnedNow
    }

    public func hunt(_ rule: Rule) -> RuleFindings {
        do {
            let sql = try SQLWriter(dialect: .sqlite, pinnedNow: pinnedNow).write(rule).text
            let (columns, rows) = try database.query(sql)
            return RuleFindings(rule: rule, columns: columns, rows: rows, error: nil)
        } catch let error as WriterError {
            return RuleFindings(rule: rule, columns: [], rows: [], error: error.message)
        } catch {
            return RuleFindings(rule: rule, columns: [], rows: [], error: "\(error)")
        }
    }
}
