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

/// Runs rules on a `QueryEngine` (embedded SQLite or PostgreSQL), with instants in Defender's
/// text form and sets as JSON arrays whatever the engine, so every output reads alike.
public struct Hunter {
    public let engine: QueryEngine
    public var pinnedNow: String?
    public var catalogue: SchemaCatalogue

    public init(engine: QueryEngine, pinnedNow: String? = nil, catalogue: SchemaCatalogue = .defender) {
        self.engine = engine
        self.pinnedNow = pinnedNow
        self.catalogue = catalogue
    }

    public func hunt(_ rule: Rule) -> RuleFindings {
        do {
            let sql = try SQLWriter(dialect: engine.dialect, catalogue: catalogue, pinnedNow: pinnedNow).statement(rule)
            let output = rule.findingColumns(catalogue: catalogue) ?? []
            let types = Dictionary(output.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
            let (columns, rows) = try engine.query(sql, types: types)
            return RuleFindings(rule: rule, columns: columns, rows: rows.map { row in
                zip(columns, row).map { column, value in Self.sqliteValue(value, types[column]) }
            }, error: nil)
        } catch let error as WriterError {
            return RuleFindings(rule: rule, columns: [], rows: [], error: error.message)
        } catch {
            return RuleFindings(rule: rule, columns: [], rows: [], error: "\(error)")
        }
    }

    static func sqliteValue(_ value: ResultValue, _ type: ColumnType?) -> SQLiteValue {
        switch value {
        case .null: return .null
        case .integer(let n): return .integer(n)
        case .real(let x): return .real(x)
        case .text(let s): return .text(type == .datetime ? DefenderTime.text(s) ?? s : s)
        case .list(let items):
            let json = items.map { item -> Any in
                switch item {
                case .integer(let n): n
                case .real(let x): x
                case .text(let s): s
                default: NSNull()
                }
            }
            let data = (try? JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
            return .text(String(decoding: data, as: UTF8.self))
        }
    }
}
