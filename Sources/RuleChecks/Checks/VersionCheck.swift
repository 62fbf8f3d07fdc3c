/// The version, when given, is major.minor.patch.
struct VersionCheck: LintCheck {
    let info = CheckInfo(
        id: "version", severity: .error,
        summary: "version, when present, is <n>.<n>.<n> and at most 20 characters.",
        triggering: [[Example.rule(replacing: ["version:": "version: 1.0"])], [Example.rule(replacing: ["version:": "version: v1.0.0"])]],
        nonTriggering: [[Example.analytic], [Example.hunting], [Example.rule(replacing: ["version:": "version: 2.10.31"])]]
    )

    func findings(in file: LintFile, context: LintContext) -> [Finding] {
        guard let rule = file.anyRule, let version = rule.metadata.version else { return [] }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        let valid = parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } && version.count <= 20
        return valid ? [] : [info.finding(file, at: rule.metadata.positions[.value(.version)], "version '\(version)' is not <n>.<n>.<n> (at most 20 characters)")]
    }
}
