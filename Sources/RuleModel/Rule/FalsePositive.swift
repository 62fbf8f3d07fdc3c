/// A known benign cause of alerts, with the filter that would exclude it.
/// Read from the `x-falsePositives` extension key of a rule file (see README).
public struct FalsePositive: Hashable, Sendable {
    public var scenario: String
    public var description: String
    /// The filter as written, kept verbatim so a bad one can be reported and never silently changed.
    public var filterText: String?
    /// The parsed filter, nil when there is none or it does not parse.
    public var filter: FilterExpression?
    /// Where `filter:` stands in the rule file.
    public var filterPosition: SourcePosition?

    public init(scenario: String, description: String, filterText: String? = nil, filter: FilterExpression? = nil, filterPosition: SourcePosition? = nil) {
        self.scenario = scenario
        self.description = description
        self.filterText = filterText
        self.filter = filter
        self.filterPosition = filterPosition
    }
}

/// The small exclusion language of false-positive scenarios:
/// `field == "value"`, `field != "value"`, AND, OR, NOT and parentheses, fields in generic
/// ECS-like names (`process.name`) that `FieldMapping` turns into the rule table's columns.
public indirect enum FilterExpression: Hashable, Sendable {
    case comparison(field: String, negated: Bool, value: String, position: SourcePosition)
    case and([FilterExpression])
    case or([FilterExpression])
    case not(FilterExpression)

    /// The same filter with every position moved by `place` (from the filter text into its file).
    public func relocated(_ place: (SourcePosition) -> SourcePosition) -> FilterExpression {
        switch self {
        case .comparison(let field, let negated, let value, let position):
            .comparison(field: field, negated: negated, value: value, position: place(position))
        case .and(let items): .and(items.map { $0.relocated(place) })
        case .or(let items): .or(items.map { $0.relocated(place) })
        case .not(let inner): .not(inner.relocated(place))
        }
    }

    /// Every field named, with its position (in the rule file once read).
    public var fields: [(name: String, position: SourcePosition)] {
        switch self {
        case .comparison(let field, _, _, let position): [(field, position)]
        case .and(let items), .or(let items): items.flatMap(\.fields)
        case .not(let inner): inner.fields
        }
    }
}
