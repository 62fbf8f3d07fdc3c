/// One detection rule: what Sentinel says about it, what it looks for, and what it should not flag.
public struct Rule: Hashable, Sendable {
    public var metadata: RuleMetadata
    public var detection: Detection
    public var falsePositives: [FalsePositive]
    /// The file the rule was read from, for diagnostics.
    public var sourceFile: String

    public init(metadata: RuleMetadata, detection: Detection, falsePositives: [FalsePositive] = [], sourceFile: String) {
        self.metadata = metadata
        self.detection = detection
        self.falsePositives = falsePositives
        self.sourceFile = sourceFile
    }
}

/// Whether a file is a scheduled analytic rule, a near-real-time rule or a hunting query.
public enum RuleKind: Hashable, Sendable {
    case scheduled
    case nearRealTime
    /// A file without `kind` is a hunting query (Sentinel's own CI treats it so).
    case huntingQuery
    /// A `kind` value Sentinel does not know, kept for lint to report.
    case other(String)

    public init(sentinelValue: String?) {
        switch sentinelValue?.lowercased() {
        case nil: self = .huntingQuery
        case "scheduled": self = .scheduled
        case "nrt": self = .nearRealTime
        case let value?: self = .other(value)
        }
    }

    /// The spelling Sentinel YAML uses, or nil for a hunting query.
    public var sentinelValue: String? {
        switch self {
        case .scheduled: "Scheduled"
        case .nearRealTime: "NRT"
        case .huntingQuery: nil
        case .other(let value): value
        }
    }
}

public struct DataConnector: Hashable, Sendable {
    public var connectorId: String
    public var dataTypes: [String]

    public init(connectorId: String, dataTypes: [String]) {
        self.connectorId = connectorId
        self.dataTypes = dataTypes
    }
}

public struct EntityMapping: Hashable, Sendable {
    public struct FieldMapping: Hashable, Sendable {
        public var identifier: String
        public var columnName: String

        public init(identifier: String, columnName: String) {
            self.identifier = identifier
            self.columnName = columnName
        }
    }

    public var entityType: String
    public var fieldMappings: [FieldMapping]

    public init(entityType: String, fieldMappings: [FieldMapping]) {
        self.entityType = entityType
        self.fieldMappings = fieldMappings
    }
}

/// Everything about a rule that is not its query.
public struct RuleMetadata: Hashable, Sendable {
    public var id: String?
    public var name: String?
    public var description: String?
    public var severity: String?
    public var kind: RuleKind
    public var tactics: [String]
    public var techniques: [String]
    public var connectors: [DataConnector]
    public var queryFrequency: String?
    public var queryPeriod: String?
    public var triggerOperator: String?
    public var triggerThreshold: Int?
    public var entityMappings: [EntityMapping]
    public var customDetails: [KeyValue]
    public var version: String?
    /// Carried into deployments as written (Sentinel's own shapes).
    public var alertDetailsOverride: StructuredValue?
    public var eventGroupingSettings: StructuredValue?
    public var incidentConfiguration: StructuredValue?
    public var suppressionEnabled: Bool?
    public var suppressionDuration: String?
    /// `x-date`: when the rule was written, `YYYY-MM-DD`.
    public var date: String?
    /// `x-keepIndicators`: over-broad indicators the rule keeps on purpose (lint does not report them).
    public var keepIndicators: [String] = []
    /// The local overrides applied when the rule was read (`severity High (rulepack.yaml:12:5)`),
    /// for the headers of outputs.
    public var overrides: [String] = []
    /// Where each field's key, value and list items stand in the file, for lint.
    public var positions: [FieldLocation: SourcePosition]
    /// Every top-level key as written, known to rulepack or not, with its position.
    public var topLevelKeys: [String: SourcePosition] = [:]

    public struct KeyValue: Hashable, Sendable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(
        id: String? = nil, name: String? = nil, description: String? = nil, severity: String? = nil,
        kind: RuleKind = .huntingQuery, tactics: [String] = [], techniques: [String] = [],
        connectors: [DataConnector] = [], queryFrequency: String? = nil, queryPeriod: String? = nil,
        triggerOperator: String? = nil, triggerThreshold: Int? = nil, entityMappings: [EntityMapping] = [],
        customDetails: [KeyValue] = [], version: String? = nil, positions: [FieldLocation: SourcePosition] = [:]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.severity = severity
        self.kind = kind
        self.tactics = tactics
        self.techniques = techniques
        self.connectors = connectors
        self.queryFrequency = queryFrequency
        self.queryPeriod = queryPeriod
        self.triggerOperator = triggerOperator
        self.triggerThreshold = triggerThreshold
        self.entityMappings = entityMappings
        self.customDetails = customDetails
        self.version = version
        self.positions = positions
    }
}
