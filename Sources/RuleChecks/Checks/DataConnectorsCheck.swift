import RuleModel

/// requiredDataConnectors lists exactly the tables the query reads.
struct DataConnectorsCheck: LintCheck {
    let info = CheckInfo(
        id: "data-connectors", severity: .error,
        summary: "Scheduled rules have requiredDataConnectors; their dataTypes are exactly the tables the query reads.",
        triggering: [
            [Example.rule(replacing: ["      - DeviceProcessEvents": "      - DeviceNetworkEvents"])],
            [Example.rule(replacing: ["requiredDataConnectors:": nil, "  - connectorId": nil, "    dataTypes:": nil, "      - DeviceProcessEvents": nil])],
        ],
        nonTriggering: [
            [Example.analytic], [Example.hunting],
            [Example.rule(replacing: ["requiredDataConnectors:": "requiredDataConnectors: []", "  - connectorId": nil, "    dataTypes:": nil, "      - DeviceProcessEvents": nil])],
        ]
    )

    /// Every table a detection reads: its source and the sources of its tabular lets.
    static func tables(of detection: Detection) -> [String] {
        var tables = [detection.source.name]
        for statement in detection.lets {
            if case .tabular(let t) = statement.value, !tables.contains(t.source.name) { tables.append(t.source.name) }
        }
        return tables
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.rule else { return [] }
        let m = rule.metadata
        guard m.positions[.key(.requiredDataConnectors)] != nil else {
            return m.kind == .scheduled ? [info.finding(file, at: m.positions[.key(.kind)], "a Scheduled rule needs requiredDataConnectors (it may be [])")] : []
        }
        guard !m.connectors.isEmpty else { return [] }
        var findings: [Finding] = []
        var listed: [String: SourcePosition?] = [:]
        for (i, connector) in m.connectors.enumerated() {
            if connector.connectorId.isEmpty {
                findings.append(info.finding(file, at: m.positions[.item(.requiredDataConnectors, i)], "a data connector without connectorId"))
            }
            for (j, type) in connector.dataTypes.enumerated() where listed[type] == nil {
                listed[type] = m.positions[.dataType(connector: i, index: j)]
            }
        }
        let read = Self.tables(of: rule.detection)
        for table in read where listed[table] == nil {
            findings.append(info.finding(file, at: m.positions[.key(.requiredDataConnectors)], "the query reads \(table), which no dataTypes lists"))
        }
        for (type, position) in listed.sorted(by: { $0.key < $1.key }) where !read.contains(type) {
            findings.append(info.finding(file, at: position ?? m.positions[.key(.requiredDataConnectors)], "dataTypes lists \(type), which the query does not read"))
        }
        return findings
    }
}
