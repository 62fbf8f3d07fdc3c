import RuleModel

/// Writes a rule as an ARM template that deploys it into a Microsoft Sentinel workspace (the
/// template's `workspace` parameter), named by the rule's id so that a redeploy updates the
/// rule instead of adding a copy.
///
/// - Scheduled rules go out as `Microsoft.SecurityInsights/alertRules` on the newest stable
///   apiVersion, 2025-09-01. Sub-techniques (`subTechniques`) and NRT rules exist only in
///   preview apiVersions, so a rule that has either is written on 2025-07-01-preview instead
///   (the newest preview), keeping its sub-techniques; a note says so.
/// - Hunting queries (no `kind`) go out as the saved searches Sentinel's hunting page lists
///   (`Microsoft.OperationalInsights/workspaces/savedSearches`, category "Hunting Queries",
///   tactics and techniques as tags).
/// - The query is the KQL target's, written for Sentinel: Log Analytics names the event time
///   `TimeGenerated`, not `Timestamp`.
public struct SentinelARMWriter: Sendable {
    static let stableAPIVersion = "2025-09-01"
    static let previewAPIVersion = "2025-07-01-preview"
    static let savedSearchAPIVersion = "2020-08-01"
    static let templateSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    static let workspaceScope = "[format('Microsoft.OperationalInsights/workspaces/{0}', parameters('workspace'))]"

    /// Sentinel YAML's short trigger operators and the names the API takes.
    static let triggerOperators = ["gt": "GreaterThan", "lt": "LessThan", "eq": "Equal", "ne": "NotEqual"]
    static let severities = ["High", "Medium", "Low", "Informational"]

    public var catalogue: SchemaCatalogue

    public init(catalogue: SchemaCatalogue = .defender) {
        self.catalogue = catalogue
    }

    public func write(_ rule: Rule) throws(WriterError) -> Translation {
        let resource = try resource(for: rule)
        let template = Self.template([resource.value])
        return Translation(text: JSONDocument.text(template), notes: resource.notes, document: template)
    }

    /// A deployment template of `resources`, with its `workspace` parameter.
    static func template(_ resources: [StructuredValue]) -> StructuredValue {
        .object([
            ("$schema", .string(templateSchema)),
            ("contentVersion", .string("1.0.0.0")),
            ("parameters", .object([("workspace", .object([
                ("type", .string("string")),
                ("metadata", .object([("description", .string("Name of the Log Analytics workspace that Microsoft Sentinel is enabled on"))])),
            ]))])),
            ("resources", .list(resources)),
        ])
    }

    /// One template for a whole pack: every rule's resources under one `workspace` parameter.
    static func bundle(_ translations: [Translation]) -> String {
        let resources = translations.flatMap { translation -> [StructuredValue] in
            if case .list(let items)? = translation.document?["resources"] { return items }
            return []
        }
        return JSONDocument.text(template(resources))
    }

    func resource(for rule: Rule) throws(WriterError) -> (value: StructuredValue, notes: [WriterNote]) {
        let m = rule.metadata
        let at = { (field: RuleField) in m.positions[.value(field)] ?? m.positions[.key(field)] }
        guard let id = m.id, NameBasedUUID.bytes(ofUUID: id) != nil else {
            throw WriterError("an ARM resource is named by the rule's id, which must be a GUID", at: at(.id))
        }
        guard let name = m.name, !name.isEmpty else { throw WriterError("a Sentinel rule needs a name (its displayName)", at: at(.name)) }
        try DeployedQuery.checkColumns(of: rule.effectiveDetection(catalogue: catalogue), catalogue: catalogue, platform: "Sentinel")
        let kql = KQLWriter(catalogue: catalogue, platform: .sentinel).write(rule)
        var notes = kql.notes
        let tactics = try tactics(of: m)
        let techniques = try Self.techniques(of: m)

        switch m.kind {
        case .huntingQuery:
            notes.append(WriterNote(.note, "a hunting query (no kind): deployed as a saved search in Sentinel's Hunting Queries", fidelity: .exact))
            var tags: [StructuredValue] = []
            if let description = m.description { tags.append(Self.tag("description", Self.trimmed(description))) }
            if !tactics.isEmpty { tags.append(Self.tag("tactics", tactics.joined(separator: ","))) }
            let allTechniques = techniques.parents + techniques.subTechniques
            if !allTechniques.isEmpty { tags.append(Self.tag("techniques", allTechniques.joined(separator: ","))) }
            let resource = StructuredValue.object([
                ("type", .string("Microsoft.OperationalInsights/workspaces/savedSearches")),
                ("apiVersion", .string(Self.savedSearchAPIVersion)),
                ("name", .string("[concat(parameters('workspace'), '/\(id.lowercased())')]")),
                ("properties", .object([
                    ("category", .string("Hunting Queries")),
                    ("displayName", .string(name)),
                    ("query", .string(kql.text)),
                    ("version", .integer(2)),
                    ("tags", tags.isEmpty ? nil : .list(tags)),
                ])),
            ])
            return (resource, notes)
        case .other(let kind):
            throw WriterError("kind '\(kind)' is not a Sentinel analytic rule kind rulepack deploys (Scheduled, NRT)", at: at(.kind))
        case .scheduled, .nearRealTime:
            break
        }

        let nearRealTime = m.kind == .nearRealTime
        let preview = nearRealTime || !techniques.subTechniques.isEmpty
        let apiVersion = preview ? Self.previewAPIVersion : Self.stableAPIVersion
        if preview {
            let reason = nearRealTime ? "NRT rules" : "sub-techniques (\(techniques.subTechniques.joined(separator: ", ")))"
            notes.append(WriterNote(.note, "apiVersion \(apiVersion): \(reason) exist only in preview apiVersions of alertRules", fidelity: .exact))
        }
        var properties: [(String, StructuredValue?)] = [
            ("displayName", .string(name)),
            ("description", m.description.map { .string(Self.trimmed($0)) }),
            ("severity", .string(try severity(of: m, notes: &notes))),
            ("enabled", .bool(true)),
            ("query", .string(kql.text)),
        ]
        if !nearRealTime {
            // In the order Sentinel's schema lists them, so the first missing field is named.
            let frequency = try Self.duration(m.queryFrequency, .queryFrequency, m)
            let period = try Self.duration(m.queryPeriod, .queryPeriod, m)
            let triggerOperator = try Self.triggerOperator(of: m)
            guard let threshold = m.triggerThreshold else {
                throw WriterError("a Scheduled rule needs triggerThreshold", at: m.positions[.key(.kind)])
            }
            properties += [
                ("queryFrequency", .string(frequency)),
                ("queryPeriod", .string(period)),
                ("triggerOperator", .string(triggerOperator)),
                ("triggerThreshold", .integer(threshold)),
            ]
        }
        properties += [
            ("suppressionEnabled", .bool(m.suppressionEnabled ?? false)),
            ("suppressionDuration", .string(m.suppressionDuration == nil ? "PT1H" : try Self.duration(m.suppressionDuration, .suppressionDuration, m))),
            ("tactics", tactics.isEmpty ? nil : .strings(tactics)),
            ("techniques", techniques.parents.isEmpty ? nil : .strings(techniques.parents)),
            ("subTechniques", techniques.subTechniques.isEmpty ? nil : .strings(techniques.subTechniques)),
            ("entityMappings", m.entityMappings.isEmpty ? nil : .list(m.entityMappings.map { mapping in
                .object([
                    ("entityType", .string(mapping.entityType)),
                    ("fieldMappings", .list(mapping.fieldMappings.map { .object([("identifier", .string($0.identifier)), ("columnName", .string($0.columnName))]) })),
                ])
            })),
            ("customDetails", m.customDetails.isEmpty ? nil : .mapping(m.customDetails.map { ($0.key, .string($0.value)) })),
            ("alertDetailsOverride", m.alertDetailsOverride),
            ("eventGroupingSettings", m.eventGroupingSettings ?? .object([("aggregationKind", .string("SingleAlert"))])),
            ("incidentConfiguration", try incidentConfiguration(of: m)),
            ("templateVersion", m.version.map(StructuredValue.string)),
        ]
        let resource = StructuredValue.object([
            ("type", .string("Microsoft.SecurityInsights/alertRules")),
            ("apiVersion", .string(apiVersion)),
            ("scope", .string(Self.workspaceScope)),
            ("name", .string(id.lowercased())),
            ("kind", .string(nearRealTime ? "NRT" : "Scheduled")),
            ("properties", .object(properties)),
        ])
        return (resource, notes)
    }

    static func tag(_ name: String, _ value: String) -> StructuredValue {
        .object([("name", .string(name)), ("value", .string(value))])
    }

    static func trimmed(_ text: String) -> String {
        var t = text
        while t.last?.isNewline == true || t.last == " " { t.removeLast() }
        return t
    }

    func severity(of m: RuleMetadata, notes: inout [WriterNote]) throws(WriterError) -> String {
        guard let severity = m.severity else {
            notes.append(WriterNote(.warning, "no severity: deployed as Medium, Sentinel's default", fidelity: .approximate, at: m.positions[.key(.name)]))
            return "Medium"
        }
        guard let known = Self.severities.first(where: { $0.lowercased() == severity.lowercased() }) else {
            throw WriterError("severity '\(severity)' is not one of \(Self.severities.joined(separator: ", "))", at: m.positions[.value(.severity)])
        }
        return known
    }

    /// The tactics as the API's AttackTactic names (Sentinel YAML may write them with spaces).
    func tactics(of m: RuleMetadata) throws(WriterError) -> [String] {
        var result: [String] = []
        for (index, written) in m.tactics.enumerated() {
            let name = written.replacingOccurrences(of: " ", with: "")
            guard let tactic = SentinelTactic.all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw WriterError("'\(written)' is not a tactic Sentinel accepts", at: m.positions[.item(.tactics, index)])
            }
            if !result.contains(tactic.name) { result.append(tactic.name) }
        }
        return result
    }

    /// `T####` parents (the only form `techniques` accepts) and `T####.###` sub-techniques.
    static func techniques(of m: RuleMetadata) throws(WriterError) -> (parents: [String], subTechniques: [String]) {
        var parents: [String] = [], subs: [String] = []
        for (index, written) in m.techniques.enumerated() {
            let id = written.trimmingCharacters(in: .whitespaces).uppercased()
            guard id.wholeMatch(of: /T\d{4}(\.\d{3})?/) != nil else {
                throw WriterError("'\(written)' is not an ATT&CK technique id (T#### or T####.###)", at: m.positions[.item(.relevantTechniques, index)])
            }
            let parent = String(id.prefix(5))
            if !parents.contains(parent) { parents.append(parent) }
            if id.count > 5, !subs.contains(id) { subs.append(id) }
        }
        return (parents, subs)
    }

    static func duration(_ text: String?, _ field: RuleField, _ m: RuleMetadata) throws(WriterError) -> String {
        guard let text else { throw WriterError("a Scheduled rule needs \(field.rawValue)", at: m.positions[.key(.kind)]) }
        guard let duration = SentinelDuration(text) else {
            throw WriterError("\(field.rawValue) '\(text)' is not a duration (5m, 1h, 14d or hh:mm:ss)", at: m.positions[.value(field)])
        }
        return duration.iso8601
    }

    static func triggerOperator(of m: RuleMetadata) throws(WriterError) -> String {
        guard let written = m.triggerOperator else { throw WriterError("a Scheduled rule needs triggerOperator", at: m.positions[.key(.kind)]) }
        if let long = triggerOperators[written] { return long }
        guard triggerOperators.values.contains(written) else {
            throw WriterError("triggerOperator '\(written)' is not one of \(triggerOperators.values.sorted().joined(separator: ", ")) (or gt, lt, eq, ne)", at: m.positions[.value(.triggerOperator)])
        }
        return written
    }

    /// The rule's incident settings, or the portal's defaults (an incident per alert, no
    /// grouping); a grouping look-back is converted to ISO 8601 like the other durations.
    func incidentConfiguration(of m: RuleMetadata) throws(WriterError) -> StructuredValue {
        guard var configuration = m.incidentConfiguration else {
            return .object([
                ("createIncident", .bool(true)),
                ("groupingConfiguration", .object([
                    ("enabled", .bool(false)),
                    ("reopenClosedIncident", .bool(false)),
                    ("lookbackDuration", .string("PT5H")),
                    ("matchingMethod", .string("AllEntities")),
                    ("groupByEntities", .list([])),
                    ("groupByAlertDetails", .list([])),
                    ("groupByCustomDetails", .list([])),
                ])),
            ])
        }
        let path = ["groupingConfiguration", "lookbackDuration"]
        if let lookback = configuration["groupingConfiguration"]?["lookbackDuration"]?.string {
            guard let duration = SentinelDuration(lookback) else {
                throw WriterError("incidentConfiguration.groupingConfiguration.lookbackDuration '\(lookback)' is not a duration (5m, 1h, 14d or hh:mm:ss)", at: m.positions[.value(.incidentConfiguration)])
            }
            configuration = configuration.updating(path) { _ in .string(duration.iso8601) }
        }
        return configuration
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension SentinelARMWriter {
    public static let target = OutputTarget(
        language: "sentinel-arm", fileExtension: "json", summary: "Sentinel ARM templates",
        options: [.bundle], engine: "arm", bundle: { SentinelARMWriter.bundle($0) }
    ) { rule, options throws(WriterError) in
        try SentinelARMWriter(catalogue: options.catalogue).write(rule)
    }
}
