import Foundation
import SQLiteDatabase

/// The three output formats of hunt's findings: an aligned table, JSON and CSV.
public enum FindingsOutput {
    static func text(_ value: SQLiteValue) -> String {
        switch value {
        case .null: return ""
        case .text(let s) where s.hasPrefix("["):
            // make_set has no order: its elements are shown sorted, so output is stable.
            if let integers = integerArray(s) { return "[" + integers.map(String.init).joined(separator: ",") + "]" }
            guard let array = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Any] else { return s }
            let sorted = sortedElements(array)
            guard let data = try? JSONSerialization.data(withJSONObject: sorted, options: [.withoutEscapingSlashes]) else { return s }
            return String(decoding: data, as: UTF8.self)
        default: return value.description
        }
    }

    /// A JSON array of whole numbers (what make_set(ReportId) gives), sorted; nil for any other
    /// text. Parsed by hand: it is on the path of every finding.
    static func integerArray(_ s: String) -> [Int64]? {
        let utf8 = s.utf8
        guard utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else { return nil }
        let inner = utf8.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        var values: [Int64] = []
        for part in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let value = Int64(Substring(part)) else { return nil }
            values.append(value)
        }
        return values.sorted()
    }

    static func sortedElements(_ array: [Any]) -> [Any] {
        array.sorted { a, b in
            switch (a, b) {
            case (let x as NSNumber, let y as NSNumber): x.doubleValue < y.doubleValue
            case (let x as String, let y as String): x < y
            case (is NSNumber, is String): true
            default: false
            }
        }
    }

    /// Per rule: its name and id, then its findings as an aligned table.
    public static func table(_ results: [RuleFindings]) -> String {
        var out = ""
        for result in results {
            let name = result.rule.metadata.name ?? result.rule.sourceFile
            let count = result.rows.count
            out += "\(name) [\(result.rule.metadata.id ?? "no id")]: \(result.error != nil ? "not run" : count == 0 ? "no findings" : "\(count) finding\(count == 1 ? "" : "s")")\n"
            for override in result.rule.metadata.overrides { out += "  local override: \(override)\n" }
            guard !result.rows.isEmpty else { continue }
            let cells = [result.columns] + result.rows.map { $0.map(text) }
            let widths = result.columns.indices.map { i in cells.map { $0[i].count }.max() ?? 0 }
            for row in cells {
                out += "  " + row.enumerated().map { i, cell in
                    i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count))
                }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    enum JSONValue: Encodable {
        case null, integer(Int64), real(Double), text(String), array([JSONValue])

        init(_ value: SQLiteValue, column: String) {
            switch value {
            case .null: self = .null
            case .integer(let n): self = .integer(n)
            case .real(let x): self = .real(x)
            case .text(let s):
                // Sets and lists come out of SQLite as JSON arrays.
                if let integers = FindingsOutput.integerArray(s) {
                    self = .array(integers.map(JSONValue.integer))
                } else if s.hasPrefix("["), let array = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Any] {
                    self = .array(FindingsOutput.sortedElements(array).map { item in
                        switch item {
                        case let n as NSNumber: n.doubleValue == n.doubleValue.rounded() ? .integer(n.int64Value) : .real(n.doubleValue)
                        case let t as String: .text(t)
                        default: .null
                        }
                    })
                } else {
                    self = .text(s)
                }
            }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .integer(let n): try container.encode(n)
            case .real(let x): try container.encode(x)
            case .text(let s): try container.encode(s)
            case .array(let a): try container.encode(a)
            }
        }
    }

    struct RuleResult: Encodable {
        var rule: String
        var id: String?
        var file: String
        var error: String?
        var columns: [String]
        var findings: [[String: JSONValue]]
    }

    public static func json(_ results: [RuleFindings]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let value = results.map { r in
            RuleResult(
                rule: r.rule.metadata.name ?? r.rule.sourceFile, id: r.rule.metadata.id, file: r.rule.sourceFile, error: r.error, columns: r.columns,
                findings: r.rows.map { row in Dictionary(uniqueKeysWithValues: zip(r.columns, row).map { ($0, JSONValue($1, column: $0)) }) }
            )
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// One CSV row per finding: the rule, its group columns as `name=value; ...`, and the
    /// catalogue's FirstSeen, LastSeen, Count and Report where the rule has them.
    public static func csv(_ results: [RuleFindings]) -> String {
        let fixed = ["FirstSeen", "LastSeen", "Count", "Report"]
        var lines = [(["rule_id", "rule_name", "group"] + fixed).map(field).joined(separator: ",")]
        for r in results {
            for row in r.rows {
                let values = Dictionary(uniqueKeysWithValues: zip(r.columns, row.map(text)))
                let group = r.columns.filter { !fixed.contains($0) }.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: "; ")
                lines.append(([r.rule.metadata.id ?? "", r.rule.metadata.name ?? "", group] + fixed.map { values[$0] ?? "" }).map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
