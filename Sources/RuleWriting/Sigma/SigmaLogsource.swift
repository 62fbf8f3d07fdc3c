/// Where a Defender table's events sit in Sigma's taxonomy, and the Sigma field names of its
/// columns. The names are those pySigma's microsoft_xdr pipeline maps back to the same
/// Defender columns, so a Sigma rule written here converts back to the table it came from.
/// Columns without a Sigma name keep their Defender name.
struct SigmaLogsource {
    var category: String
    var product = "windows"
    /// Set when Sigma has no category for the table; `sigma check` then needs
    /// `-x sigmahq_logsource_unknown` (see README).
    var definition: String?
    var fieldNames: [String: String]
    /// Columns holding a file name whose full path is in a Sigma field (FileName → Image):
    /// `FileName == x` is written `Image|endswith: '\x'`.
    var pathFields: [String: String] = [:]

    static func forTable(_ table: String) -> SigmaLogsource {
        switch table {
        case "DeviceProcessEvents":
            return SigmaLogsource(category: "process_creation", fieldNames: [
                "FolderPath": "Image", "ProcessVersionInfoProductVersion": "FileVersion",
                "ProcessVersionInfoFileDescription": "Description", "ProcessVersionInfoProductName": "Product",
                "ProcessVersionInfoCompanyName": "Company", "ProcessVersionInfoOriginalFileName": "OriginalFileName",
                "ProcessCommandLine": "CommandLine", "AccountName": "User", "ProcessIntegrityLevel": "IntegrityLevel",
                "InitiatingProcessId": "ParentProcessId", "InitiatingProcessFolderPath": "ParentImage",
                "InitiatingProcessCommandLine": "ParentCommandLine", "InitiatingProcessAccountName": "ParentUser",
            ], pathFields: ["FileName": "Image", "InitiatingProcessFileName": "ParentImage"])
        case "DeviceNetworkEvents":
            return SigmaLogsource(category: "network_connection", fieldNames: [
                "InitiatingProcessFolderPath": "Image", "InitiatingProcessAccountName": "User",
                "LocalIP": "SourceIp", "LocalPort": "SourcePort", "RemoteIP": "DestinationIp",
                "RemoteUrl": "DestinationHostname", "RemotePort": "DestinationPort",
                "InitiatingProcessVersionInfoCompanyName": "Company", "InitiatingProcessVersionInfoProductName": "Product",
                "InitiatingProcessVersionInfoFileDescription": "Description",
                "InitiatingProcessVersionInfoOriginalFileName": "OriginalFileName",
                "InitiatingProcessCommandLine": "CommandLine",
            ], pathFields: ["InitiatingProcessFileName": "Image"])
        case "DeviceFileEvents":
            return SigmaLogsource(category: "file_event", fieldNames: [
                "InitiatingProcessFolderPath": "Image", "FolderPath": "TargetFilename",
            ])
        case "DeviceRegistryEvents":
            return SigmaLogsource(category: "registry_event", fieldNames: [
                "InitiatingProcessFolderPath": "Image", "RegistryKey": "TargetObject", "RegistryValueData": "Details",
            ])
        default:
            return SigmaLogsource(
                category: table == "DeviceFileCertificateInfo" ? "file_certificate" : table,
                definition: "Microsoft Defender XDR advanced-hunting table \(table); Sigma has no log source for it, so fields keep their Defender names",
                fieldNames: [:]
            )
        }
    }

    func field(_ column: String) -> String { fieldNames[column] ?? column }
}
