import RuleModel

/// An event's value, typed by its column.
public enum EventValue: Sendable, Equatable {
    case null
    case string(String)
    case long(Int64)
    case real(Double)
    case bool(Bool)
    /// An instant, as ISO-8601 UTC text with seven fractional digits (Defender's export form).
    case datetime(String)
}

extension EventValue {
    /// The value as text for an engine that casts text to the column's type (PostgreSQL's
    /// parameters, Spark's driver); nil for null.
    public var text: String? {
        switch self {
        case .null: nil
        case .string(let s), .datetime(let s): s
        case .long(let n): String(n)
        case .real(let x): String(x)
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// Text as a value of a column's type (datetimes in any ISO-8601 form); nil when the text
    /// is not one.
    public init?(_ text: String, as type: ColumnType) {
        switch type {
        case .long, .int:
            guard let n = Int64(text) else { return nil }
            self = .long(n)
        case .real:
            guard let x = Double(text) else { return nil }
            self = .real(x)
        case .bool:
            switch text.lowercased() {
            case "true", "1": self = .bool(true)
            case "false", "0": self = .bool(false)
            default: return nil
            }
        case .datetime:
            guard let instant = DefenderTime.text(text) else { return nil }
            self = .datetime(instant)
        default:
            self = .string(text)
        }
    }
}
