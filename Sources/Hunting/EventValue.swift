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
