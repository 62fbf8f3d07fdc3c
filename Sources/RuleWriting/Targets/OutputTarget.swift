import Foundation
import RuleModel

/// What a user may ask of a translation; each target reads the options it declares.
public struct TargetOptions: Sendable {
    public var catalogue: SchemaCatalogue
    /// `--now`: the instant now() means (ISO-8601 UTC), for reproducible output.
    public var pinnedNow: String?
    /// `--sigma-has`: how KQL `has` is written in Sigma.
    public var sigmaHas: SigmaHasForm
    /// `--date` (`YYYY-MM-DD`) for outputs that carry a date (Sigma's `date`); without it the
    /// rule's own `x-date`, then SOURCE_DATE_EPOCH; never the clock, so output is reproducible.
    public var date: String?
    /// `--sigma-features`: all Sigma features, or those every pySigma backend converts.
    public var sigmaFeatures: SigmaFeatures = .full
    /// `--platform`: where the KQL runs (Defender's `Timestamp` or Sentinel's `TimeGenerated`).
    public var platform: QueryPlatform

    public init(catalogue: SchemaCatalogue = .defender, pinnedNow: String? = nil, sigmaHas: SigmaHasForm = .re, date: String? = nil, platform: QueryPlatform = .defender) {
        self.catalogue = catalogue
        self.pinnedNow = pinnedNow
        self.sigmaHas = sigmaHas
        self.date = date
        self.platform = platform
    }

    /// The date an output of `rule` carries: `--date`, the rule's `x-date`, SOURCE_DATE_EPOCH's
    /// day (UTC), or none.
    public func date(for rule: Rule) -> String? {
        if let date { return date }
        if let date = rule.metadata.date { return date }
        guard let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) else { return nil }
        return Self.day(Date(timeIntervalSince1970: epoch))
    }

    /// `YYYY-MM-DD` of an instant, in UTC.
    public static func day(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
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
        case sigmaFeatures = "sigma-features"
        case platform
        case date
        case bundle
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
    /// `--bundle`: the translations of a pack as one file (targets with the `bundle` option).
    public var bundle: (@Sendable ([Translation]) throws -> String)?
    /// Files `--out DIR` also gets beside the translations (name and text), such as the
    /// pySigma pipeline of Sigma's invented log sources.
    public var companionFiles: [(name: String, text: String)]

    public init(
        language: String, dialect: String? = nil, fileExtension: String, summary: String, options: Set<Option> = [],
        separator: String = "\n", engine: String, companionFiles: [(name: String, text: String)] = [],
        bundle: (@Sendable ([Translation]) throws -> String)? = nil,
        write: @escaping @Sendable (Rule, TargetOptions) throws(WriterError) -> Translation
    ) {
        self.language = language
        self.dialect = dialect
        self.fileExtension = fileExtension
        self.summary = summary
        self.options = options
        self.separator = separator
        self.engine = engine
        self.companionFiles = companionFiles
        self.bundle = bundle
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
    /// Every target, in the order of `--to`'s help. A new language (or deployment format) is a
    /// writer with its `target` plus one entry here; a new SQL dialect is one row in `SQLDialect.all`.
    public static let all: [OutputTarget] = [KQLWriter.target] + SQLDialect.all.map(\.target) + [SigmaWriter.target, SentinelARMWriter.target, DefenderDetectionWriter.target]

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
