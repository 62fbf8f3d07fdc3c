import RuleModel
import Support

/// Every field a false-positive filter names maps to a column of the rule's table, so the
/// filter can be applied as an exclusion (README: False-positive scenarios).
struct FalsePositiveFieldsCheck: LintCheck {
    static let certificateRule = Example.query("DeviceFileCertificateInfo\n| where Signer has 'Servably, Inc.'", table: "DeviceFileCertificateInfo")

    let info = CheckInfo(
        id: "false-positive-filters", severity: .error,
        summary: "Each x-falsePositives filter parses and every field it names maps to a column of the rule's table.",
        triggering: [
            [certificateRule + "x-falsePositives:\n  - scenario: Update\n    description: An update.\n    filter: process.name == \"setup.exe\"\n"],
            [Example.analytic + "x-falsePositives:\n  - scenario: Broken\n    description: One equals sign.\n    filter: process.name = \"setup.exe\"\n"],
        ],
        nonTriggering: [
            [Example.analytic],
            [Example.analytic + "x-falsePositives:\n  - scenario: Technician\n    description: MSP staff.\n    filter: process.name == \"Syncro.App.Runner.exe\" AND user.name == \"msp-tech\"\n"],
            [certificateRule + "x-falsePositives:\n  - scenario: Known file\n    description: A known good hash.\n    filter: file.hash != \"0123\" AND host.name == \"build-01\"\n"],
        ],
        readerCodes: ["filter-syntax"]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.rule, let table = context.catalogue.table(named: rule.detection.source.name) else { return [] }
        var findings: [Finding] = []
        for fp in rule.falsePositives {
            guard let filter = fp.filter else { continue }
            var reported: Set<String> = []
            for (field, position) in filter.fields where FieldMapping.column(for: field, in: table) == nil && reported.insert(field).inserted {
                let known = FieldMapping.genericNames(in: table.name).map(\.field)
                let near = Suggestion.hint(for: field, among: known)
                findings.append(info.finding(file, at: position, "'\(field)' has no column in \(table.name)\(near), so the filter of '\(fp.scenario)' cannot be applied"))
            }
        }
        return findings
    }
}
