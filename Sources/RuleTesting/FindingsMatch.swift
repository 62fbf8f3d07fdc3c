import Foundation
import Hunting
import RuleModel

/// Compares the findings an engine returned with the ones a case expects: the same number of
/// rows, and a one-to-one pairing in which every expected row's named columns equal the actual
/// row's. Values compare by the column's type: instants as instants, numbers as numbers, sets
/// and lists without regard to order.
struct FindingsMatch {
    /// The rule's output columns and their types (SchemaFlow's last relation).
    let types: [String: ColumnType]

    func canonical(_ value: ResultValue, _ type: ColumnType?) -> ExpectedValue {
        switch value {
        case .null: return type == .string ? .scalar("") : .null
        case .integer(let n): return type == .bool ? .scalar(n == 0 ? "false" : "true") : .scalar(String(n))
        case .real(let x): return .scalar(Self.number(x))
        case .text(let s): return canonical(text: s, type)
        case .list(let items): return .list(items.map { canonical($0, nil) }.sorted())
        }
    }

    func canonical(_ value: ExpectedValue, _ type: ColumnType?) -> ExpectedValue {
        switch value {
        case .null: return type == .string ? .scalar("") : .null
        case .scalar(let s): return canonical(text: s, type)
        case .list(let items): return .list(items.map { canonical($0, nil) }.sorted())
        }
    }

    func canonical(text s: String, _ type: ColumnType?) -> ExpectedValue {
        switch type {
        case .datetime?: return .scalar(DefenderTime.text(s) ?? s)
        case .real?: return .scalar(Double(s).map(Self.number) ?? s)
        case .bool?:
            switch s.lowercased() {
            case "1", "true": return .scalar("true")
            case "0", "false": return .scalar("false")
            default: return .scalar(s)
            }
        default:
            // Untyped (a set's elements): numbers compare as numbers.
            if type == nil, let x = Double(s), s.first.map({ $0.isNumber || $0 == "-" }) == true { return .scalar(Self.number(x)) }
            return .scalar(s)
        }
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 9e15 ? String(Int64(x)) : String(x)
    }

    /// The rows an engine returned, in the canonical form an `expect` block would hold them.
    func found(columns: [String], rows: [[ResultValue]]) -> [[String: ExpectedValue]] {
        rows.map { row in
            Dictionary(zip(columns, row).map { ($0, canonical($1, types[$0])) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// nil when the findings match; otherwise the lines of a diff (`- expected`, `+ actual`).
    func difference(expected: [[String: ExpectedValue]], columns: [String], rows: [[ResultValue]]) -> [String]? {
        let actual = found(columns: columns, rows: rows)
        let wanted = expected.map { row in Dictionary(uniqueKeysWithValues: row.map { ($0.key, canonical($0.value, types[$0.key])) }) }
        func fits(_ e: [String: ExpectedValue], _ a: [String: ExpectedValue]) -> Bool {
            e.allSatisfy { a[$0.key] == $0.value }
        }
        // A perfect pairing, by backtracking (cases hold a handful of rows).
        var used = Array(repeating: false, count: actual.count)
        func pair(_ i: Int) -> Bool {
            if i == wanted.count { return true }
            for j in actual.indices where !used[j] && fits(wanted[i], actual[j]) {
                used[j] = true
                if pair(i + 1) { return true }
                used[j] = false
            }
            return false
        }
        if wanted.count == actual.count && pair(0) { return nil }
        // The diff: expected rows no actual row fits, and actual rows no expected row names.
        let shown = Set(expected.flatMap(\.keys))
        func line(_ row: [String: ExpectedValue], keys: [String]) -> String {
            "{" + keys.map { "\($0): \(row[$0] ?? .null)" }.joined(separator: ", ") + "}"
        }
        var lines = [wanted.count == actual.count
            ? "the findings differ from the expected ones (- expected, + found)"
            : "expected \(wanted.count) finding\(wanted.count == 1 ? "" : "s"), found \(actual.count) (- expected, + found)"]
        for row in wanted where !actual.contains(where: { fits(row, $0) }) {
            lines.append("- " + line(row, keys: row.keys.sorted { (columns.firstIndex(of: $0) ?? 0) < (columns.firstIndex(of: $1) ?? 0) }))
        }
        for row in actual where !wanted.contains(where: { fits($0, row) }) {
            let keys = shown.isEmpty ? columns : columns.filter { shown.contains($0) }
            lines.append("+ " + line(row, keys: keys))
        }
        return lines
    }
}
