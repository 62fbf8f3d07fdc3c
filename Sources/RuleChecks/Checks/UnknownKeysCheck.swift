import RuleModel
import Support

/// Keys Sentinel's rule schema does not have (a misspelt key is silently ignored by Sentinel).
struct UnknownKeysCheck: LintCheck {
    static let known: Set<String> = [
        "id", "name", "description", "severity", "status", "kind", "requiredDataConnectors", "queryFrequency",
        "queryPeriod", "triggerOperator", "triggerThreshold", "tactics", "relevantTechniques", "subTechniques",
        "query", "entityMappings", "customDetails", "alertDetailsOverride", "eventGroupingSettings",
        "incidentConfiguration", "suppressionDuration", "suppressionEnabled", "sentinelEntitiesMappings",
        "version", "metadata", "tags", "techniques", "author", "support", "source", "categories",
    ]

    let info = CheckInfo(
        id: "unknown-keys", severity: .warning,
        summary: "Every top-level key is one Sentinel knows (or an x- extension); near misses get a suggestion.",
        triggering: [[Example.rule(replacing: ["tactics:": "tactic:"])], [Example.rule(adding: "colour: blue\n")]],
        nonTriggering: [[Example.analytic], [Example.rule(adding: "x-falsePositives: []\ntags: [rmm]\n")]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule else { return [] }
        return rule.metadata.topLevelKeys.compactMap { key, position in
            guard !key.hasPrefix("x-"), !Self.known.contains(key) else { return nil }
            let hint = Suggestion.hint(for: key, among: Self.known)
            return info.finding(file, at: position, "'\(key)' is not a key of Sentinel's rule schema\(hint); Sentinel ignores it (extension keys start with x-)")
        }
    }
}
