/// The public RMM catalogues' defect: `dataTypes:` indented at the `- connectorId:` dash.
struct YAMLIndentationCheck: LintCheck {
    let info = CheckInfo(
        id: "yaml-indentation", severity: .warning,
        summary: "A key indented at its list item's dash (invalid YAML that rulepack reads anyway); --fix indents it.",
        triggering: [[Example.rule(replacing: ["    dataTypes:": "  dataTypes:", "      - DeviceProcessEvents": "      - DeviceProcessEvents"])]],
        nonTriggering: [[Example.analytic]],
        readerCodes: ["yaml-indentation"]
    )

    func finding(for diagnostic: Diagnostic, in file: LintFile) -> Finding {
        let repair = file.read.indentationFixes.first { $0.position == diagnostic.position }
        let fix = repair.map { repair in
            Fix("indent '\(repair.key):' and the lines under it by \(repair.shift) spaces", edits: repair.lines.map {
                TextEdit(line: $0, column: 1, length: 0, replacement: String(repeating: " ", count: repair.shift))
            })
        }
        return info.finding(file, at: diagnostic.position, diagnostic.message, fix: fix)
    }
}

import RuleModel
