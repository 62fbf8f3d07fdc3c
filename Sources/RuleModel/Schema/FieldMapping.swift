/// Maps the generic, ECS-like field names that false-positive filters use (`process.name`,
/// `user.name`, ...) onto the columns of one Defender table. A name that is already a column of
/// the table maps to itself. The table of mappings is documented in README.md.
public enum FieldMapping {
    /// Generic name → column, per table. "The process" is the one the event is about: the created
    /// process in DeviceProcessEvents, the initiating process elsewhere.
    static let byTable: [String: [String: String]] = {
        let initiatingProcess: [String: String] = [
            "process.name": "InitiatingProcessFileName",
            "process.executable": "InitiatingProcessFolderPath",
            "process.command_line": "InitiatingProcessCommandLine",
            "process.pid": "InitiatingProcessId",
            "process.hash": "InitiatingProcessSHA1",
            "process.hash.sha1": "InitiatingProcessSHA1",
            "process.hash.sha256": "InitiatingProcessSHA256",
            "process.hash.md5": "InitiatingProcessMD5",
            "parent_process.name": "InitiatingProcessParentFileName",
            "user.name": "InitiatingProcessAccountName",
            "user.domain": "InitiatingProcessAccountDomain",
            "host.name": "DeviceName",
            "host.id": "DeviceId",
            "event.action": "ActionType",
        ]
        // The event's own file, in the tables that describe one.
        let eventFile: [String: String] = [
            "file.name": "FileName",
            "file.path": "FolderPath",
            "file.hash": "SHA1",
            "file.hash.sha1": "SHA1",
            "file.hash.sha256": "SHA256",
            "file.hash.md5": "MD5",
        ]
        var process = initiatingProcess
        process.merge([
            "process.name": "FileName",
            "process.executable": "FolderPath",
            "process.command_line": "ProcessCommandLine",
            "process.pid": "ProcessId",
            "process.hash": "SHA1",
            "process.hash.sha1": "SHA1",
            "process.hash.sha256": "SHA256",
            "process.hash.md5": "MD5",
            "parent_process.name": "InitiatingProcessFileName",
            "parent_process.command_line": "InitiatingProcessCommandLine",
            "user.name": "AccountName",
            "user.domain": "AccountDomain",
        ]) { _, new in new }
        process.merge(eventFile) { _, new in new }
        var network = initiatingProcess
        network.merge([
            "destination.ip": "RemoteIP",
            "destination.port": "RemotePort",
            "destination.domain": "RemoteUrl",
            "url.original": "RemoteUrl",
            "url.domain": "RemoteUrl",
            "source.ip": "LocalIP",
            "source.port": "LocalPort",
            "network.transport": "Protocol",
        ]) { _, new in new }
        let file = initiatingProcess.merging(eventFile) { _, new in new }
        let certificate: [String: String] = [
            "file.hash": "SHA1",
            "file.hash.sha1": "SHA1",
            "file.code_signature.subject_name": "Signer",
            "file.x509.issuer.distinguished_name": "Issuer",
            "file.x509.serial_number": "CertificateSerialNumber",
            "host.name": "DeviceName",
            "host.id": "DeviceId",
        ]
        return [
            "DeviceProcessEvents": process,
            "DeviceNetworkEvents": network,
            "DeviceFileEvents": file,
            "DeviceEvents": file,
            "DeviceRegistryEvents": initiatingProcess,
            "DeviceFileCertificateInfo": certificate,
        ]
    }()

    /// The column `field` names in `table`, or nil when it has none there.
    public static func column(for field: String, in table: TableSchema) -> String? {
        if table.column(named: field) != nil { return field }
        guard let column = byTable[table.name]?[field.lowercased()], table.column(named: column) != nil else { return nil }
        return column
    }

    /// Every generic name known for `table`, sorted, for documentation and suggestions.
    public static func genericNames(in table: String) -> [(field: String, column: String)] {
        (byTable[table] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
