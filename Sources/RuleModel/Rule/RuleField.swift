/// The fields of a Sentinel rule file that rulepack reads, by their YAML keys.
public enum RuleField: String, Hashable, Sendable, CaseIterable {
    case id, name, description, severity, kind, tactics, relevantTechniques, requiredDataConnectors
    case queryFrequency, queryPeriod, triggerOperator, triggerThreshold, entityMappings, customDetails, version, query
    case alertDetailsOverride, eventGroupingSettings, incidentConfiguration, suppressionEnabled, suppressionDuration
    /// rulepack's extension: the rule's date (`YYYY-MM-DD`), which outputs that carry a date use.
    case date = "x-date"
    /// rulepack's extension: indicators the rule keeps on purpose although they are over-broad.
    case keepIndicators = "x-keepIndicators"
}

/// A place in a rule file that a finding can point at: a field's key or value, an item of a
/// list field, or a data type of a data connector. Typed, so a misspelt place does not compile
/// (a string key that matched nothing used to land silently at 1:1).
public struct FieldLocation: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case key
        case value
        /// The item at this index of a list field (or the field's single value, as item 0).
        case item(Int)
        /// `requiredDataConnectors[connector].dataTypes[index]`.
        case dataType(connector: Int, index: Int)
    }

    public var field: RuleField
    public var part: Part

    public init(_ field: RuleField, _ part: Part) {
        self.field = field
        self.part = part
    }

    public static func key(_ field: RuleField) -> FieldLocation { FieldLocation(field, .key) }
    public static func value(_ field: RuleField) -> FieldLocation { FieldLocation(field, .value) }
    public static func item(_ field: RuleField, _ index: Int) -> FieldLocation { FieldLocation(field, .item(index)) }
    public static func dataType(connector: Int, index: Int) -> FieldLocation {
        FieldLocation(.requiredDataConnectors, .dataType(connector: connector, index: index))
    }
}
