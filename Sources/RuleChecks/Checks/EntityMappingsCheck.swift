import RuleModel
import Support

/// Entity mappings within Sentinel's limits, with identifiers valid for their entity type.
struct EntityMappingsCheck: LintCheck {
    /// Identifiers per entity type (Sentinel's entity reference); types listed without
    /// identifiers are known but their identifiers are not checked.
    static let identifiers: [String: Set<String>] = [
        "Account": ["Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid", "CloudAppAccountId"],
        "Host": ["DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined"],
        "IP": ["Address"],
        "URL": ["Url"],
        "File": ["Directory", "Name"],
        "FileHash": ["Algorithm", "Value"],
        "Process": ["ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"],
        "DNS": ["DomainName"],
        "AzureResource": ["ResourceId"],
        "CloudApplication": ["AppId", "Name", "InstanceName"],
        "RegistryKey": ["Hive", "Key"],
        "RegistryValue": ["Name", "Value", "ValueType"],
        "SecurityGroup": ["DistinguishedName", "SID", "ObjectGuid"],
        "Malware": ["Name", "Category"],
        "Mailbox": ["MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RecipientType"],
        "MailCluster": [], "MailMessage": [], "SubmissionMail": [], "IoTDevice": [],
    ]

    let info = CheckInfo(
        id: "entity-mappings", severity: .error,
        summary: "1..10 entity mappings of known types, 1..3 field mappings each, identifiers valid for the type, column names that are identifiers.",
        triggering: [
            [Example.rule(adding: "entityMappings:\n  - entityType: Hostt\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n")],
            [Example.rule(adding: "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: Address\n        columnName: DeviceName\n")],
            [Example.rule(adding: "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: 1Device\n")],
            [Example.rule(adding: "entityMappings:\n  - entityType: Host\n    fieldMappings: []\n")],
        ],
        nonTriggering: [[Example.analytic], [Example.rule(adding: "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n  - entityType: Account\n    fieldMappings:\n      - identifier: Name\n        columnName: AccountName\n")]]
    )

    static func isColumnName(_ s: String) -> Bool {
        guard let first = s.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule, rule.metadata.positions[.key(.entityMappings)] != nil else { return [] }
        let mappings = rule.metadata.entityMappings
        let at = rule.metadata.positions[.key(.entityMappings)]
        var findings: [Finding] = []
        if !(1...10).contains(mappings.count) {
            findings.append(info.finding(file, at: at, "\(mappings.count) entity mappings; Sentinel allows 1 to 10"))
        }
        for mapping in mappings {
            guard let identifiers = Self.identifiers[mapping.entityType] else {
                findings.append(info.finding(file, at: at, "entity type '\(mapping.entityType)' is not one Sentinel knows" + Suggestion.hint(for: mapping.entityType, among: Self.identifiers.keys)))
                continue
            }
            if !(1...3).contains(mapping.fieldMappings.count) {
                findings.append(info.finding(file, at: at, "entity \(mapping.entityType) has \(mapping.fieldMappings.count) field mappings; Sentinel allows 1 to 3"))
            }
            for field in mapping.fieldMappings {
                if !identifiers.isEmpty && !identifiers.contains(field.identifier) {
                    findings.append(info.finding(file, at: at, "'\(field.identifier)' is not an identifier of \(mapping.entityType) (\(identifiers.sorted().joined(separator: ", ")))"))
                }
                if !Self.isColumnName(field.columnName) {
                    findings.append(info.finding(file, at: at, "columnName '\(field.columnName)' is not a column name (letters, digits and _, not starting with a digit)"))
                }
            }
        }
        return findings
    }
}
