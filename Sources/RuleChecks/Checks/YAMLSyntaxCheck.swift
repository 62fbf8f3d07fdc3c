/// The file is readable: UTF-8, YAML, and a mapping shaped like a Sentinel rule.
struct YAMLSyntaxCheck: LintCheck {
    let info = CheckInfo(
        id: "yaml-syntax", severity: .error,
        summary: "The file is UTF-8 YAML shaped like a Sentinel rule.",
        triggering: [["id: x\nname: [unclosed\nquery: |\n  DeviceProcessEvents\n"], ["- a list\n- not a rule\n"], [""]],
        nonTriggering: [[Example.analytic], [Example.hunting]],
        readerCodes: ["io", "encoding", "yaml", "yaml-shape"]
    )
}
