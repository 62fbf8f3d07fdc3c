import RuleModel

/// Writes a rule as a Microsoft Defender XDR custom detection: the body of a Microsoft Graph
/// `POST /beta/security/rules/detectionRules` request (a `detectionRule`). The alert's
/// recommended actions name the rule's false-positive scenarios; a rule without any has none.
///
/// A custom detection's query must return, in each row, `Timestamp` (the alert time), the
/// columns that identify the event (`ReportId`, and `DeviceId` for the Device* tables) and an
/// impacted-asset column. A rule whose query ends in `summarize` returns none of those unless it
/// groups by them, so its summarize gains `arg_max(Timestamp, ReportId, ...)`: each group's row
/// then carries the group's latest event, and every other column the rule returns is unchanged.
/// A query that drops a required column after that (a later `project`) is refused.
public struct DefenderDetectionWriter: Sendable {
    /// The schedules a custom detection can run on, in hours; 0 is continuous (NRT).
    static let frequencies = [1, 3, 12, 24]
    /// Sentinel tactics that are also Defender alert categories (the rest become SuspiciousActivity).
    static let categories: Set<String> = [
        "InitialAccess", "Execution", "Persistence", "PrivilegeEscalation", "DefenseEvasion", "CredentialAccess",
        "Discovery", "LateralMovement", "Collection", "Exfiltration", "CommandAndControl", "Impact",
    ]
    /// Columns Graph accepts as impacted assets: column name → (asset type, identifier).
    static let impactedAssetColumns: [(column: String, type: String, identifier: String)] = [
        ("DeviceId", "impactedDeviceAsset", "deviceId"), ("DeviceName", "impactedDeviceAsset", "deviceName"),
        ("RemoteDeviceName", "impactedDeviceAsset", "remoteDeviceName"),
        ("AccountObjectId", "impactedUserAsset", "accountObjectId"), ("AccountSid", "impactedUserAsset", "accountSid"),
        ("AccountUpn", "impactedUserAsset", "accountUpn"), ("InitiatingProcessAccountUpn", "impactedUserAsset", "initiatingProcessAccountUpn"),
        ("InitiatingProcessAccountSid", "impactedUserAsset", "initiatingAccountSid"),
        ("InitiatingProcessAccountObjectId", "impactedUserAsset", "processAccountObjectId"),
        ("RecipientObjectId", "impactedUserAsset", "recipientObjectId"),
    ]

    public var catalogue: SchemaCatalogue

    public init(catalogue: SchemaCatalogue = .defender) {
        self.catalogue = catalogue
    }

    public func write(_ rule: Rule) throws(WriterError) -> Translation {
        let m = rule.metadata
        guard let name = m.name, !name.isEmpty else {
            throw WriterError("a custom detection needs a name (its displayName)", at: m.positions[.key(.name)])
        }
        var notes: [WriterNote] = []
        try DeployedQuery.checkColumns(of: rule.effectiveDetection(catalogue: catalogue), catalogue: catalogue, platform: "Defender")
        let detection = try Self.returningEventColumns(rule.effectiveDetection(catalogue: catalogue), rule: rule, catalogue: catalogue, notes: &notes)
        let frequency = schedule(of: m, notes: &notes)
        // Continuous (NRT) detections take no comment lines.
        let kql = KQLWriter(catalogue: catalogue, comments: frequency != "PT0S").write(rule, detection: detection)
        notes += kql.notes
        let columns = SchemaFlow.columns(returnedBy: detection, catalogue: catalogue) ?? []

        let severity: String
        if let written = m.severity?.lowercased(), ["informational", "low", "medium", "high"].contains(written) {
            severity = written
        } else {
            if let written = m.severity {
                throw WriterError("severity '\(written)' is not one of Informational, Low, Medium, High", at: m.positions[.value(.severity)])
            }
            severity = "medium"
            notes.append(WriterNote(.warning, "no severity: the alert's severity is medium", fidelity: .approximate, at: m.positions[.key(.name)]))
        }
        let tactic = m.tactics.first.map { $0.replacingOccurrences(of: " ", with: "") }
        let category: String
        if let tactic, Self.categories.contains(tactic) {
            category = tactic
        } else {
            category = "SuspiciousActivity"
            notes.append(WriterNote(.note, "alert category SuspiciousActivity: \(tactic.map { "tactic \($0) is not a Defender alert category" } ?? "the rule has no tactic")", fidelity: .approximate, at: m.positions[.key(.tactics)]))
        }
        let alertTemplate = StructuredValue.object([
            ("title", .string(name)),
            ("description", .string(SentinelARMWriter.trimmed(m.description ?? name))),
            ("severity", .string(severity)),
            ("category", .string(category)),
            ("mitreTechniques", .strings(m.techniques.map { $0.trimmingCharacters(in: .whitespaces).uppercased() })),
            // What an analyst should rule out first: the rule's own false-positive scenarios.
            ("recommendedActions", rule.falsePositives.isEmpty ? nil : .string(
                "Rule out the known benign cases first: " + rule.falsePositives.map(\.scenario).joined(separator: "; ") + "."
            )),
            ("impactedAssets", .list(impactedAssets(of: m, returning: Set(columns.map(\.name))))),
        ])
        let body = StructuredValue.object([
            ("displayName", .string(name)),
            ("isEnabled", .bool(true)),
            ("queryCondition", .object([("queryText", .string(kql.text))])),
            ("schedule", .object([("frequency", .string(frequency))])),
            ("detectionAction", .object([
                ("alertTemplate", alertTemplate),
                ("responseActions", .list([])),
            ])),
        ])
        return Translation(text: JSONDocument.text(body), notes: notes, document: body)
    }

    /// `schedule.frequency`: the rule's query frequency mapped to the nearest schedule Defender
    /// offers (1, 3, 12 or 24 hours; continuous for NRT rules).
    func schedule(of m: RuleMetadata, notes: inout [WriterNote]) -> String {
        if m.kind == .nearRealTime {
            notes.append(WriterNote(.note, "an NRT rule: a continuous custom detection (frequency PT0S)", fidelity: .exact))
            return "PT0S"
        }
        guard let written = m.queryFrequency, let duration = SentinelDuration(written) else {
            notes.append(WriterNote(.note, "no queryFrequency: the detection runs every 24 hours", fidelity: .exact))
            return "PT24H"
        }
        let hours = duration.seconds / 3600
        let nearest = Self.frequencies.min { abs(Double($0) - hours) < abs(Double($1) - hours) } ?? 24
        if Double(nearest) != hours {
            notes.append(WriterNote(.warning, "queryFrequency \(written) is not a custom-detection schedule: it runs every \(nearest == 1 ? "hour" : "\(nearest) hours"), the nearest", fidelity: .approximate, at: m.positions[.value(.queryFrequency)]))
        }
        return "PT\(nearest)H"
    }

    func impactedAssets(of m: RuleMetadata, returning columns: Set<String>) -> [StructuredValue] {
        var chosen: [(type: String, identifier: String)] = []
        let mapped = m.entityMappings.flatMap { $0.fieldMappings.map(\.columnName) }
        for column in mapped + Self.impactedAssetColumns.map(\.column) where columns.contains(column) {
            guard let asset = Self.impactedAssetColumns.first(where: { $0.column == column }),
                  !chosen.contains(where: { $0.type == asset.type }) else { continue }
            chosen.append((asset.type, asset.identifier))
        }
        return chosen.map { .object([("@odata.type", .string("#microsoft.graph.security.\($0.type)")), ("identifier", .string($0.identifier))]) }
    }

    static func firstColumn(of op: QueryOperator) -> ColumnReference? {
        switch op {
        case .project(let items): items.first?.expression.columns.first
        case .projectAway(let columns), .distinct(let columns): columns.first
        case .summarize(let s): (s.keys.map(\.expression) + s.aggregates.flatMap(\.arguments)).first?.columns.first
        default: nil
        }
    }


    /// The columns each row must carry for this table: Timestamp, ReportId, and DeviceId for Device*.
    static func requiredColumns(of table: String) -> [String] {
        ["Timestamp", "ReportId"] + (table.hasPrefix("Device") ? ["DeviceId"] : [])
    }

    /// The detection with its last summarize returning the latest event's required columns.
    static func returningEventColumns(_ detection: Detection, rule: Rule, catalogue: SchemaCatalogue, notes: inout [WriterNote]) throws(WriterError) -> Detection {
        let required = requiredColumns(of: detection.source.name)
        var result = detection
        if let index = detection.operators.lastIndex(where: { if case .summarize = $0 { true } else { false } }),
           case .summarize(var summarize) = detection.operators[index] {
            let given = summarize.keys.map(\.outputName) + summarize.aggregates.map(\.outputName)
            let missing = required.filter { !given.contains($0) }
            if !missing.isEmpty {
                let latestColumns = missing.filter { $0 != "Timestamp" }.map { QueryExpression.column(ColumnReference($0)) }
                // The rule's own arg_max(Timestamp, ...) picks the latest event already: it carries the rest.
                if let existing = summarize.aggregates.firstIndex(where: { $0.function == .argMax && $0.name == nil && $0.arguments.first?.columns.first?.name == "Timestamp" }) {
                    summarize.aggregates[existing].arguments += latestColumns
                    notes.append(WriterNote(.note, "\(KQLText.aggregate(summarize.aggregates[existing])): custom detections need \(required.joined(separator: ", ")) of each group's latest event", fidelity: .exact))
                } else {
                    guard !given.contains("Timestamp") else {
                        throw WriterError("a custom detection needs \(missing.joined(separator: ", ")) of each group's latest event, but this summarize already returns a column named Timestamp", at: summarize.aggregates.first?.arguments.first?.columns.first?.position)
                    }
                    let latest = Aggregate(.argMax, [.column(ColumnReference("Timestamp"))] + latestColumns)
                    summarize.aggregates.insert(latest, at: 0)
                    notes.append(WriterNote(.note, "summarize gains \(KQLText.aggregate(latest)): custom detections need \(required.joined(separator: ", ")) of each group's latest event", fidelity: .exact))
                }
                result.operators[index] = .summarize(summarize)
            }
        }
        guard let returnedColumns = SchemaFlow.columns(returnedBy: result, catalogue: catalogue) else {
            throw WriterError("\(result.source.name) is not a table rulepack knows the columns of, so the columns a custom detection needs cannot be checked", at: result.source.position)
        }
        let returned = Set(returnedColumns.map(\.name))
        let absent = required.filter { !returned.contains($0) }
        if !absent.isEmpty {
            // Point at the last operator that chooses the columns.
            let shaping = result.operators.last { op in
                switch op {
                case .project, .projectAway, .distinct, .summarize: true
                default: false
                }
            }
            let position = shaping.flatMap { Self.firstColumn(of: $0)?.position } ?? rule.metadata.positions[.value(.query)]
            throw WriterError("a custom detection's query must return \(required.joined(separator: ", ")); this one does not return \(absent.joined(separator: ", "))", at: position)
        }
        return result
    }
}

/// The writer as an output target (see `OutputTarget.all`).
extension DefenderDetectionWriter {
    public static let target = OutputTarget(
        language: "defender-xdr", fileExtension: "json", summary: "Defender XDR custom detections", engine: "graph"
    ) { rule, options throws(WriterError) in
        try DefenderDetectionWriter(catalogue: options.catalogue).write(rule)
    }
}
