import Foundation
import Support

/// KQL column types that occur in the Defender advanced-hunting tables.
public enum ColumnType: String, Hashable, Sendable {
    case string, datetime, long, int, bool, real, dynamic, timespan, guid
}

public struct ColumnSchema: Hashable, Sendable {
    public var name: String
    public var type: ColumnType

    public init(name: String, type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// One table's columns, in the order the schema lists them (which is `SELECT *` order).
public struct TableSchema: Hashable, Sendable {
    public var name: String
    public var columns: [ColumnSchema]

    public init(name: String, columns: [ColumnSchema]) {
        self.name = name
        self.columns = columns
    }

    /// KQL column names are case-sensitive.
    public func column(named name: String) -> ColumnSchema? {
        columns.first { $0.name == name }
    }

    /// The closest column name, for "did you mean" hints.
    public func suggestion(for name: String) -> String? {
        Suggestion.closest(to: name, among: columns.map(\.name))
    }
}

/// The tables rulepack knows: the Defender XDR advanced-hunting schemas shipped as
/// `defender-tables.tsv` (table, column, type; from Microsoft's schema reference).
public struct SchemaCatalogue: Sendable {
    public var tables: [String: TableSchema]

    public init(tables: [TableSchema]) {
        self.tables = Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func table(named name: String) -> TableSchema? { tables[name] }

    /// Parses `table<TAB>column<TAB>type` lines; the first line is a header.
    public init(tsv: String) {
        var order: [String] = []
        var columns: [String: [ColumnSchema]] = [:]
        for line in tsv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 3 else { continue }
            if columns[fields[0]] == nil { order.append(fields[0]) }
            columns[fields[0], default: []].append(ColumnSchema(name: fields[1], type: ColumnType(rawValue: fields[2]) ?? .string))
        }
        self.init(tables: order.map { TableSchema(name: $0, columns: columns[$0] ?? []) })
    }

    /// The Defender tables bundled with rulepack.
    public static let defender: SchemaCatalogue = {
        guard let url = Bundle.module.url(forResource: "defender-tables", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return SchemaCatalogue(tables: []) }
        return SchemaCatalogue(tsv: text)
    }()
}
