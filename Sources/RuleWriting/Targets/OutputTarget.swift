import Foundation
import RuleModel

/// What a user may ask of a translation; each target reads the options it declares.
public struct TargetOptions: Sendable {
    public var catalogue: SchemaCatalogue
    /// `--now`: the instant now() means (ISO-8601 UTC), for reproducible output.
    public var pinnedNow: String?
    /// `--sigma-has`: how KQL `has` is written in Sigma.
    public var sigmaHas: SigmaHasForm
    /// A fixed date for outputs that carry one (Sigma's `date`); nil for SOURCE_DATE_EPOCH or today.
    public var date: Date?

    public init(catalogue: SchemaCatalogue = .defender, pinnedNow: String? = nil, sigmaHas: SigmaHasForm = .re, date: Date? = nil) {
        self.catalogue = catalogue
        self.pinnedNow = pinnedNow
        self.sigmaHas = sigmaHas
        self.date = date
    }
}

/// One output rulepack writes: a language (`--to`), and for languages with several, a
/// dialect (`--dialect`). The command line, its help, the golden tests, the fuzz properties
/// and the oracle suites all iterate `OutputTarget.all`, so a target is added in one place.
public struct OutputTarget: Sendable {
    /// The options of `convert` beyond `--to` and `--dialect` that a target may read.
    public enum Option: String, Sendable, CaseIterable {
        case now
        case sigmaHas = "sigma-has"
    }

    /// `--to`: kql, sql, sigma.
    public var language: String
    /// `--dialect`, for languages with several (the first in `all` is the default).
    public var dialect: String?
    public var fileExtension: String
    public var summary: String
    public var options: Set<Option>
    /// Between translations printed together on stdout.
    public var separator: String
    /// The engine the oracle suites run this target's output on (its own name when none).
    public var engine: String
    public var write: @Sendable (Rule, TargetOptions) throws(WriterError) -> Translation

    public init(
        language: String, dialect: String? = nil, fileExtension: String, summary: String, options: Set<Option> = [],
        separator: String = "\n", engine: String, write: @escaping @Sendable (Rule, TargetOptions) throws(WriterError) -> Translation
    ) {
        self.language = language
        self.dialect = dialect
        self.fileExtension = fileExtension
        self.summary = summary
        self.options = options
        self.separator = separator
        self.engine = engine
        self.write = write
    }

    /// `kql`, `sql-sqlite`, `sigma`: one name for each target.
    public var name: String { dialect.map { "\(language)-\($0)" } ?? language }

    /// How the target's golden files end: `kql`, `sqlite.sql`, `sigma.yml`.
    public var goldenSuffix: String {
        if let dialect { return "\(dialect).\(fileExtension)" }
        return language == fileExtension ? fileExtension : "\(language).\(fileExtension)"
    }
}

extension OutputTarget {
    /// Every target, in the order of `--to`'s help. A new language is a writer with its
    /// `target` plus one line here; a new SQL dialect is one row in `SQLDialect.all`.
    public static let all: [OutputTarget] = [KQLWriter.target] + SQLDialect.all.map(\.target) + [SigmaWriter.target]

    /// The languages `--to` takes, each once, in order.
    public static var languages: [String] {
        all.map(\.language).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The dialects of a language, default first; empty for a language with one form.
    public static func dialects(of language: String) -> [String] {
        all.filter { $0.language == language }.compactMap(\.dialect)
    }

    /// The target for `--to language [--dialect dialect]` (the language's default dialect when
    /// nil), or for a target's full name (`--to sql-postgres`).
    public static func named(_ language: String, dialect: String? = nil) -> OutputTarget? {
        if dialect == nil, let exact = all.first(where: { $0.name == language }) { return exact }
        let candidates = all.filter { $0.language == language }
        guard let dialect else { return candidates.first }
        return candidates.first { $0.dialect == dialect }
    }
}
