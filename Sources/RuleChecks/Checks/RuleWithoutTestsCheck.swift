import Foundation
import RuleModel
import Yams
import YAMLLoading

/// Every rule has detection tests: some `*.tests.yaml` among the files linted names it, by id
/// or by path. Off by default (`lint --require-tests` turns it on and lints the test files too).
struct RuleWithoutTestsCheck: LintCheck {
    let info = CheckInfo(
        id: "rule-without-tests", severity: .error,
        summary: "Every rule is named by a detection test (*.tests.yaml) among the files linted. Off unless --require-tests.",
        triggering: [[Example.analytic], [Example.analytic, Example.tests(for: "11111111-2222-4333-8444-555555555555")]],
        nonTriggering: [[Example.analytic, Example.tests(for: "6f3d2b1a-9c8e-4d7f-a6b5-4c3d2e1f0a9b")], [Example.hunting, Example.tests(for: "0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F")]]
    )

    func findings(across files: [LintFile], context: LintContext) -> [Finding] {
        var ids: Set<String> = []
        var paths: Set<String> = []
        for file in files where file.isDetectionTest {
            guard case .mapping(let top)? = try? BoundedYAML.compose(file.text), let rule = top["rule"]?.string else { continue }
            if rule.hasSuffix(".yaml") || rule.hasSuffix(".yml") || rule.contains("/") {
                paths.insert(Self.standardized(URL(fileURLWithPath: file.path).deletingLastPathComponent().appendingPathComponent(rule).path))
            } else {
                ids.insert(rule.lowercased())
            }
        }
        return files.compactMap { file -> Finding? in
            guard !file.isDetectionTest, let rule = file.anyRule else { return nil }
            if let id = rule.metadata.id?.lowercased(), ids.contains(id) { return nil }
            if paths.contains(Self.standardized(file.path)) { return nil }
            return info.finding(file, at: rule.metadata.positions[.key(.id)] ?? rule.metadata.positions[.key(.query)], "no detection test names this rule (write tests/<rule>.tests.yaml with its id; rulepack new writes them for the rules it makes)")
        }
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
