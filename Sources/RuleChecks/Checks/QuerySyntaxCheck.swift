/// The query is present and parses (errors at their line and column in the rule file).
struct QuerySyntaxCheck: LintCheck {
    let info = CheckInfo(
        id: "query-syntax", severity: .error,
        summary: "The query is present and is KQL that rulepack reads (constructs outside its dialect are named).",
        triggering: [[Example.query("DeviceProcessEvents\n| where FileName has 'x' and")], [Example.query("DeviceProcessEvents\n| join (DeviceNetworkEvents) on DeviceId")], [Example.rule(replacing: ["query:": nil, "  DeviceProcessEvents": nil, "  | where FileName =~ 'syncro.exe'": nil])]],
        nonTriggering: [[Example.analytic], [Example.hunting]],
        readerCodes: ["kql-syntax", "missing-query"]
    )
}
