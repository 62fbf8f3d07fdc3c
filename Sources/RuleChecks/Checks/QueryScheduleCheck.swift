import RuleModel

/// Scheduled rules run every queryFrequency over queryPeriod, within Sentinel's limits.
struct QueryScheduleCheck: LintCheck {
    let info = CheckInfo(
        id: "query-schedule", severity: .error,
        summary: "queryFrequency and queryPeriod: <n>m|h|d or hh:mm:ss, each 5m..14d, period >= frequency, frequency >= 1h when period >= 2d.",
        triggering: [
            [Example.rule(replacing: ["queryFrequency:": nil])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 1w"])],
            [Example.rule(replacing: ["queryPeriod:": "queryPeriod: 15d"])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 2h", "queryPeriod:": "queryPeriod: 1h"])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 30m", "queryPeriod:": "queryPeriod: 2d"])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 1M"])],
        ],
        nonTriggering: [
            [Example.analytic], [Example.hunting],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 00:05:00", "queryPeriod:": "queryPeriod: 1.00:00:00"])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 1d", "queryPeriod:": "queryPeriod: 14d"])],
            [Example.rule(replacing: ["queryFrequency:": "queryFrequency: 1h", "queryPeriod:": "queryPeriod: 2d"])],
        ]
    )

    /// Minutes in a Sentinel duration: `<int>m|h|d` (lower case; m is minutes) or .NET `[d.]hh:mm:ss`.
    static func minutes(_ text: String) -> Double? {
        SentinelDuration(text)?.minutes
    }

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule, rule.metadata.kind == .scheduled else { return [] }
        let m = rule.metadata
        var findings: [Finding] = []
        var values: [String: Double] = [:]
        for field in [RuleField.queryFrequency, .queryPeriod] {
            let key = field.rawValue
            let value = field == .queryFrequency ? m.queryFrequency : m.queryPeriod
            guard let value else {
                findings.append(info.finding(file, at: m.positions[.key(.kind)], "a Scheduled rule needs \(key)"))
                continue
            }
            guard let minutes = Self.minutes(value) else {
                findings.append(info.finding(file, at: m.positions[.value(field)], "\(key) '\(value)' is not <n>m, <n>h, <n>d (lower case) or hh:mm:ss"))
                continue
            }
            guard (5...20_160).contains(minutes) else {
                findings.append(info.finding(file, at: m.positions[.value(field)], "\(key) '\(value)' is outside 5m..14d"))
                continue
            }
            values[key] = minutes
        }
        if let frequency = values["queryFrequency"], let period = values["queryPeriod"] {
            if period < frequency {
                findings.append(info.finding(file, at: m.positions[.value(.queryPeriod)], "queryPeriod (\(m.queryPeriod ?? "")) is shorter than queryFrequency (\(m.queryFrequency ?? "")): events between runs would be missed"))
            }
            if period >= 2 * 1440 && frequency < 60 {
                findings.append(info.finding(file, at: m.positions[.value(.queryFrequency)], "with a queryPeriod of 2 days or more, queryFrequency must be at least 1h"))
            }
        }
        return findings
    }
}
