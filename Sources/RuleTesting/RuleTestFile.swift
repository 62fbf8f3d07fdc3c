import Foundation
import Hunting
import RuleModel

/// A detection test file (`*.tests.yaml`, beside the rules): sample events for one rule and
/// the exact findings each case must give.
public struct RuleTestFile: Sendable {
    /// Test files end so; every command that reads rule folders skips them.
    public static let suffix = ".tests.yaml"

    public static func isTestFile(_ path: String) -> Bool { path.hasSuffix(suffix) }

    /// The rule under test: its id, or a path relative to the test file.
    public enum RuleReference: Sendable, Equatable {
        case id(String)
        case path(String)
    }

    public var path: String
    public var rule: RuleReference
    public var rulePosition: SourcePosition
    /// The instant the rule's now() means (ISO-8601 UTC).
    public var now: String
    public var cases: [TestCase]
}

/// One case: events per table, and the findings they must give.
public struct TestCase: Sendable {
    public var name: String
    public var position: SourcePosition
    /// Rows per table, typed by the table's schema, in the order written.
    public var events: [(table: String, rows: [[String: EventValue]])]
    /// The exact set of findings, order-free; each row names a subset of the output columns.
    public var expect: [[String: ExpectedValue]]
    public var expectPosition: SourcePosition
}

/// A value a finding must have, as written in the test file.
/// Values found are put in the same form, canonical for their column's type (FindingsMatch).
public indirect enum ExpectedValue: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case null
    case scalar(String)
    case list([ExpectedValue])

    /// As a diff shows it: a flow-YAML value, quoted where YAML would read it otherwise.
    public var description: String {
        switch self {
        case .null: "null"
        case .scalar(let s): s.contains(where: { ",:[]{}#\"'".contains($0) }) || s != s.trimmingCharacters(in: .whitespaces) || s.isEmpty ? "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// An order for sorting a set's elements (any fixed order will do).
    public static func < (lhs: ExpectedValue, rhs: ExpectedValue) -> Bool { lhs.description < rhs.description }

    /// As JSON: null, a string, or an array.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .scalar(let s): try container.encode(s)
        case .list(let items): try container.encode(items)
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let items = try? container.decode([ExpectedValue].self) {
            self = .list(items)
        } else {
            self = .scalar(try container.decode(String.self))
        }
    }
}

/// A problem with a test file itself (not a failed test): reported at its line and column.
public struct TestFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition
    public var message: String

    public init(_ file: String, _ position: SourcePosition, _ message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String { "\(file):\(position.line):\(position.column): error: \(message)" }
}
