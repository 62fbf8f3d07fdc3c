/// Example rules for the checks' triggering and non-triggering examples: a clean analytic rule
/// and a clean hunting query, edited line by line.
public enum Example {
    public static let analytic = """
    id: 6f3d2b1a-9c8e-4d7f-a6b5-4c3d2e1f0a9b
    name: Example rule
    description: An example analytic rule.
    severity: Medium
    kind: Scheduled
    queryFrequency: 1h
    queryPeriod: 1d
    triggerOperator: gt
    triggerThreshold: 0
    requiredDataConnectors:
      - connectorId: MicrosoftThreatProtection
        dataTypes:
          - DeviceProcessEvents
    tactics:
      - CommandAndControl
    relevantTechniques:
      - T1219
    query: |
      DeviceProcessEvents
      | where FileName =~ 'syncro.exe'
    version: 1.0.0

    """

    public static let hunting = """
    id: 0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f
    name: Example hunting query
    description: An example hunting query.
    requiredDataConnectors:
      - connectorId: MicrosoftThreatProtection
        dataTypes:
          - DeviceNetworkEvents
    tactics: CommandAndControl
    relevantTechniques: T1219
    query: |
      DeviceNetworkEvents
      | where RemoteUrl has 'syncromsp.com'

    """

    /// `base` with each line that starts with a key of `replacing` replaced (nil removes it),
    /// and `adding` appended.
    /// A detection test file naming the rule `id` (an example text that starts with `rule:`
    /// is linted as `*.tests.yaml`).
    public static func tests(for id: String) -> String {
        "rule: \(id)\nnow: 2026-11-29T12:00:00Z\ncases: []\n"
    }

    public static func rule(_ base: String = analytic, replacing: [String: String?] = [:], adding: String = "") -> String {
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (prefix, replacement) in replacing {
            guard let index = lines.firstIndex(where: { $0.hasPrefix(prefix) }) else { continue }
            if let replacement { lines[index] = replacement } else { lines.remove(at: index) }
        }
        var text = lines.joined(separator: "\n")
        if !adding.isEmpty {
            if !text.hasSuffix("\n") { text += "\n" }
            text += adding
        }
        return text
    }

    /// A rule whose query is `query` (one line per line), otherwise the clean analytic rule.
    public static func query(_ query: String, table: String = "DeviceProcessEvents", base: String = analytic) -> String {
        let indented = query.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        var text = rule(base, replacing: ["query: |": "query: |\n" + indented, "  DeviceProcessEvents": nil, "  | where FileName =~ 'syncro.exe'": nil])
        text = text.replacingOccurrences(of: "      - DeviceProcessEvents", with: "      - \(table)")
        return text
    }
}
