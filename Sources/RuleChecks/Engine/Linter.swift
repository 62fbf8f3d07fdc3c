import Foundation
import RuleModel
import RuleReading
import Support

/// Runs the checks over rule files and returns their findings, sorted by path and position.
public struct Linter: Sendable {
    public var checks: [any LintCheck]
    public var context: LintContext

    public init(checks: [any LintCheck] = Checks.all, context: LintContext = LintContext()) {
        self.checks = checks
        self.context = context
    }

    /// Lints texts already in memory (path → text).
    public func lint(_ files: [LintFile]) -> [Finding] {
        let owners = Dictionary(checks.flatMap { check in check.info.readerCodes.map { ($0, check) } }, uniquingKeysWith: { first, _ in first })
        // Files are checked on every core; the findings are sorted at the end.
        var findings: [Finding] = files.concurrentMap { file in
            var found: [Finding] = []
            for diagnostic in file.read.diagnostics {
                // A diagnostic no enabled check owns is dropped only when its check is disabled.
                guard let code = diagnostic.code, let owner = owners[code] else { continue }
                found.append(owner.finding(for: diagnostic, in: file))
            }
            for check in checks {
                found += check.findings(in: file, context: context)
            }
            return found
        }.flatMap { $0 }
        for check in checks {
            findings += check.findings(across: files, context: context)
        }
        return findings.sorted(by: Finding.ordered)
    }
}

/// Every check rulepack has, in the order `--list-checks` prints them.
public enum Checks {
    public static let all: [any LintCheck] = [
        YAMLSyntaxCheck(), YAMLIndentationCheck(), DuplicateKeysCheck(), UnknownKeysCheck(),
        IDCheck(), UniqueIDsCheck(), NameCheck(), DescriptionCheck(), SeverityCheck(), KindCheck(),
        QueryScheduleCheck(), TriggerCheck(), VersionCheck(), EntityMappingsCheck(), CustomDetailsCheck(),
        TacticsCheck(), TechniquesCheck(), TechniqueTacticsCheck(), DataConnectorsCheck(),
        QuerySyntaxCheck(), QueryColumnsCheck(), FalsePositiveFieldsCheck(), FalsePositiveLogicCheck(),
        DuplicateDetectionsCheck(), OverBroadIndicatorsCheck(), StaleOverridesCheck(), EvidenceCheck(),
    ]

    /// Checks that run only when asked for (`lint --require-tests`).
    public static let optIn: [any LintCheck] = [RuleWithoutTestsCheck()]

    public static func named(_ id: String) -> (any LintCheck)? {
        (all + optIn).first { $0.info.id == id }
    }
}
