import Foundation
import RuleModel
import RuleReading
import YAMLLoading

/// What a check is: a stable kebab-case id, a default severity, a one-line summary, and
/// example rules that must and must not trigger it (one generic test runs them all).
public struct CheckInfo: Sendable {
    public var id: String
    public var severity: DiagnosticSeverity
    public var summary: String
    /// Each example is one or more rule files (cross-file checks need several).
    public var triggering: [[String]]
    public var nonTriggering: [[String]]
    /// Reader diagnostic codes this check reports (YAML syntax, KQL syntax, ...).
    public var readerCodes: Set<String>
    /// The context the examples run in, for checks that read more than rule files.
    public var exampleContext: LintContext?

    public init(id: String, severity: DiagnosticSeverity, summary: String, triggering: [[String]], nonTriggering: [[String]], readerCodes: Set<String> = [], exampleContext: LintContext? = nil) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.triggering = triggering
        self.nonTriggering = nonTriggering
        self.readerCodes = readerCodes
        self.exampleContext = exampleContext
    }

    public func finding(_ file: LintFile, at position: SourcePosition?, _ message: String, severity: DiagnosticSeverity? = nil, fix: Fix? = nil) -> Finding {
        Finding(file: file.path, position: position ?? SourcePosition(line: 1, column: 1), severity: severity ?? self.severity, check: id, message: message, fix: fix)
    }
}

/// One rule file as the checks see it: its text, and what the reader made of it.
public struct LintFile: Sendable {
    public var path: String
    public var text: String
    public var read: RuleReadResult

    public var rule: Rule? { read.hasErrors ? nil : read.rule }
    /// The rule even when the reader reported errors elsewhere in the file (for metadata checks).
    public var anyRule: Rule? { read.rule }

    /// A detection test file (`*.tests.yaml`), linted only for the rules it names.
    public var isDetectionTest: Bool { path.hasSuffix(".tests.yaml") }

    public init(path: String, text: String, reader: SentinelRuleReader = SentinelRuleReader()) {
        self.path = path
        self.text = text
        read = path.hasSuffix(".tests.yaml") ? RuleReadResult(rule: nil, diagnostics: []) : reader.read(text: text, path: path)
    }

    /// Reads a rule file from disk. An unreadable file throws (an I/O error); a file that is
    /// not UTF-8 is read as such, for the yaml-syntax check to report.
    public static func load(_ path: String, reader: SentinelRuleReader = SentinelRuleReader()) throws -> LintFile {
        do {
            return LintFile(path: path, text: try BoundedYAML.text(ofFileAt: path), reader: reader)
        } catch where error.kind == .unreadable {
            throw error
        } catch {
            // Too large (judged from its size, unread) or not UTF-8: the reader reports it.
            var file = LintFile(path: path, text: "", reader: reader)
            file.read = reader.read(fileAt: path)
            return file
        }
    }
}

/// The data checks consult.
public struct LintContext: Sendable {
    public var catalogue: SchemaCatalogue
    public var attack: AttackCatalogue
    /// The local overrides of the packs linted whole (`rulepack.yaml`).
    public var overrides: OverrideSet
    /// What a tool catalogue observed (`lint --evidence`), to compare rules' literals with.
    public var evidence: [ToolEvidence]

    public init(catalogue: SchemaCatalogue = .defender, attack: AttackCatalogue = .enterprise, overrides: OverrideSet = .none, evidence: [ToolEvidence] = []) {
        self.catalogue = catalogue
        self.attack = attack
        self.overrides = overrides
        self.evidence = evidence
    }
}

/// A lint check. Most look at one file; a few (unique ids, duplicate detections) look across all.
public protocol LintCheck: Sendable {
    var info: CheckInfo { get }
    func findings(in file: LintFile, context: LintContext) -> [Finding]
    func findings(across files: [LintFile], context: LintContext) -> [Finding]
    /// The finding for a reader diagnostic this check owns; override to attach a fix.
    func finding(for diagnostic: Diagnostic, in file: LintFile) -> Finding
}

extension LintCheck {
    public func findings(in file: LintFile, context: LintContext) -> [Finding] { [] }
    public func findings(across files: [LintFile], context: LintContext) -> [Finding] { [] }
    public func finding(for diagnostic: Diagnostic, in file: LintFile) -> Finding {
        info.finding(file, at: diagnostic.position, diagnostic.message, severity: diagnostic.severity == .error ? info.severity : diagnostic.severity)
    }
}
