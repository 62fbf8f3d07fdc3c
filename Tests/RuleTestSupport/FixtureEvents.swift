import Foundation
import RuleModel
import SQLiteDatabase

/// The fixture events of Tests/Fixtures/events (see its README) loaded into SQLite, with
/// timestamps counted back from `now` and written as Defender exports write them.
public struct FixtureEvents {
    /// The instant tests take as now(): the events' ages count back from it and the SQL is
    /// written with it pinned, so no test depends on the clock or on how long it runs.
    public static let pinnedNowText = "2026-11-29T12:00:00Z"
    public static let pinnedNow = Date(timeIntervalSince1970: 1_795_953_600)

    public let now: Date

    public init(now: Date = FixtureEvents.pinnedNow) {
        self.now = now
    }

    /// `1d`, `3h`, `4d22h` → seconds.
    public static func seconds(ofAge age: String) throws -> TimeInterval {
        var total: TimeInterval = 0
        var number = ""
        for c in age {
            if c.isNumber {
                number.append(c)
                continue
            }
            guard let n = Double(number) else { throw TestFailure("bad age \(age)") }
            switch c {
            case "d": total += n * 86_400
            case "h": total += n * 3_600
            case "m": total += n * 60
            case "s": total += n
            default: throw TestFailure("bad age \(age)")
            }
            number = ""
        }
        guard number.isEmpty else { throw TestFailure("bad age \(age)") }
        return total
    }

    /// ISO-8601 UTC with seven fractional digits.
    public static func defenderText(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let whole = floor(seconds)
        let micros = Int(((seconds - whole) * 1_000_000).rounded(.down))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let fraction = String(micros)
        return formatter.string(from: Date(timeIntervalSince1970: whole)) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "0Z"
    }

    public func timestamp(age: String) throws -> String {
        FixtureEvents.defenderText(now.addingTimeInterval(-(try FixtureEvents.seconds(ofAge: age))))
    }

    /// Creates every catalogue table and inserts `rows` (table → rows); a missing column is NULL.
    public func load(into db: SQLiteDatabase, rows: [String: [[String: Any]]], catalogue: SchemaCatalogue = .defender) throws {
        for table in catalogue.tables.values.sorted(by: { $0.name < $1.name }) {
            let columns = table.columns.map { column in
                let type = switch column.type {
                case .long, .int, .bool: "INTEGER"
                case .real: "REAL"
                default: "TEXT"
                }
                return "\"\(column.name)\" \(type)"
            }
            try db.execute("CREATE TABLE \"\(table.name)\" (\(columns.joined(separator: ", ")))")
            for row in rows[table.name] ?? [] {
                var names: [String] = []
                var values: [SQLiteValue] = []
                for (key, value) in row.sorted(by: { $0.key < $1.key }) where !key.hasPrefix("_") {
                    guard table.column(named: key) != nil else { throw TestFailure("\(table.name) has no column \(key)") }
                    names.append("\"\(key)\"")
                    values.append(try Self.value(value))
                }
                if let age = row["_age"] as? String {
                    names.append("\"Timestamp\"")
                    values.append(.text(try timestamp(age: age)))
                }
                let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
                try db.query("INSERT INTO \"\(table.name)\" (\(names.joined(separator: ", "))) VALUES (\(placeholders))", values)
            }
        }
    }

    static func value(_ any: Any) throws -> SQLiteValue {
        switch any {
        case let s as String: return .text(s)
        case let n as NSNumber:
            // SQLite keeps booleans as 0 and 1, which is what an integral NSNumber gives.
            if n.doubleValue == n.doubleValue.rounded() { return .integer(n.int64Value) }
            return .real(n.doubleValue)
        case is NSNull: return .null
        default: throw TestFailure("unsupported fixture value \(any)")
        }
    }

    /// The rows of Tests/Fixtures/events, by table.
    public static func fixtureRows() throws -> [String: [[String: Any]]] {
        var rows: [String: [[String: Any]]] = [:]
        let folder = Paths.fixtures.appendingPathComponent("events")
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            guard let list = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]] else {
                throw TestFailure("\(file.lastPathComponent) is not a list of rows")
            }
            rows[file.deletingPathExtension().lastPathComponent] = list
        }
        return rows
    }
}
