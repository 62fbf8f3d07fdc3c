import ArgumentParser
import Foundation
import RuleModel
import RuleReading
import RuleWriting
import Support

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate rules into other query languages.",
        discussion: """
        PATH is a rule file or a folder (every *.yaml/*.yml below it). With one rule and no --out the translation goes to stdout; with --out DIR each rule is written to DIR/<rule id>.<extension>. --to sigma --out DIR also writes DIR/rulepack-pipeline.yaml, the pySigma pipeline for the log sources rulepack invents. --to sentinel-arm --bundle FILE writes one ARM template for all the rules.

        Targets (--to, --dialect):
        \(targetTable)

        Problems go to stderr as path:line:col: severity: message. Exit status: 0 all rules translated, 1 some rule failed, 2 usage or I/O error.
        """
    )

    /// One aligned line per target: its --to and --dialect, file extension and summary.
    static var targetTable: String {
        let choices = OutputTarget.all.map { "--to \($0.language)" + ($0.dialect.map { " --dialect \($0)" } ?? "") }
        let width = choices.map(\.count).max() ?? 0
        return zip(choices, OutputTarget.all).map { choice, target in
            "  " + choice.padding(toLength: width, withPad: " ", startingAt: 0) + "  ." + target.fileExtension.padding(toLength: 4, withPad: " ", startingAt: 0) + "  " + target.summary
        }.joined(separator: "\n")
    }

    @Argument(help: "Rule files or folders.")
    var paths: [String] = []

    @Option(name: .long, help: ArgumentHelp("Target: \(OutputTarget.languages.joined(separator: ", ")), or a target's full name such as sql-postgres.", valueName: "target"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("SQL dialect: \(OutputTarget.dialects(of: "sql").joined(separator: ", ")) (default \(OutputTarget.dialects(of: "sql").first ?? "")).", valueName: "dialect"))
    var dialect: String?

    @Option(name: .customLong("sigma-has"), help: "Sigma form of KQL `has`: re (exact term match, default) or contains (broader).")
    var sigmaHas: SigmaHasForm = .re

    @Option(name: .customLong("sigma-features"), help: "Sigma features to use: full (correlation rules, |cased; default) or basic (neither, for backends such as pySigma's Kusto backend).")
    var sigmaFeatures: SigmaFeatures = .full

    @Option(name: .long, help: "Write one file per rule into this folder.")
    var out: String?

    @Option(name: .long, help: "The instant now() means (ISO-8601 UTC), for reproducible output; for targets that write now().")
    var now: String?

    @Option(name: .long, help: ArgumentHelp("Where the KQL runs: defender (Timestamp, default) or sentinel (Log Analytics' TimeGenerated).", valueName: "platform"))
    var platform: QueryPlatform = .defender

    @Option(name: .long, help: ArgumentHelp("The date outputs carry (Sigma's date), YYYY-MM-DD; default the rule's x-date. Never the clock.", valueName: "date"))
    var date: String?

    @Option(name: .long, help: ArgumentHelp("Also write all the rules as one file (--to sentinel-arm: one ARM template).", valueName: "file"))
    var bundle: String?

    @Flag(name: .customLong("list-targets"), help: "List every target (name, options, file extension, summary) and exit.")
    var listTargets = false

    enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: "With --list-targets: text (an aligned table) or json.")
    var format: ListFormat = .text

    /// The target `--to` and `--dialect` name (validate() makes sure there is one).
    private var target: OutputTarget? {
        to.flatMap { OutputTarget.named($0, dialect: dialect) }
    }

    /// `--to kql, sql`: the languages with a target that reads `option`, for messages.
    private static func languages(reading option: OutputTarget.Option) -> String {
        "--to " + OutputTarget.languages.filter { language in
            OutputTarget.all.contains { $0.language == language && $0.options.contains(option) }
        }.joined(separator: ", ")
    }

    func validate() throws {
        if listTargets { return }
        if format != .text { throw ValidationError("--format applies to --list-targets only") }
        guard !paths.isEmpty else { throw ValidationError("give at least one rule file or folder") }
        guard let to else { throw ValidationError("--to is required: \(OutputTarget.languages.joined(separator: ", "))") }
        if OutputTarget.all.contains(where: { $0.name == to && $0.dialect != nil }) {
            guard dialect == nil else { throw ValidationError("--to \(to) names its dialect; leave out --dialect") }
        } else if !OutputTarget.languages.contains(to) {
            throw ValidationError("unknown target '\(to)'\(Suggestion.hint(for: to, among: OutputTarget.languages + OutputTarget.all.map(\.name))); targets: \(OutputTarget.languages.joined(separator: ", "))")
        }
        let dialects = OutputTarget.dialects(of: to)
        if let dialect {
            guard !dialects.isEmpty else { throw ValidationError("--dialect applies to --to \(OutputTarget.languages.filter { !OutputTarget.dialects(of: $0).isEmpty }.joined(separator: ", ")) only") }
            guard dialects.contains(dialect) else {
                throw ValidationError("unknown \(to) dialect '\(dialect)'\(Suggestion.hint(for: dialect, among: dialects)); dialects: \(dialects.joined(separator: ", "))")
            }
        }
        guard let target else { throw ValidationError("no target \(to)") }
        if sigmaHas != .re, !target.options.contains(.sigmaHas) {
            throw ValidationError("--sigma-has applies to \(Self.languages(reading: .sigmaHas)) only")
        }
        if sigmaFeatures != .full, !target.options.contains(.sigmaFeatures) {
            throw ValidationError("--sigma-features applies to \(Self.languages(reading: .sigmaFeatures)) only")
        }
        if platform != .defender, !target.options.contains(.platform) {
            throw ValidationError("--platform applies to \(Self.languages(reading: .platform)) only")
        }
        if let date {
            guard target.options.contains(.date) else { throw ValidationError("--date applies to \(Self.languages(reading: .date)) only") }
            guard date.wholeMatch(of: /\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/) != nil else {
                throw ValidationError("--date takes a day written YYYY-MM-DD, such as 2026-11-29")
            }
        }
        if bundle != nil, !target.options.contains(.bundle) {
            throw ValidationError("--bundle applies to \(Self.languages(reading: .bundle)) only")
        }
        if let now {
            guard target.options.contains(.now) else {
                throw ValidationError("--now applies to \(Self.languages(reading: .now)) only")
            }
            guard Hunt.isISOTimestamp(now) else { throw ValidationError("--now takes an ISO-8601 UTC timestamp such as 2026-11-29T12:00:00Z") }
        }
    }

    func run() throws {
        if listTargets {
            try printTargets()
            return
        }
        guard let target else { throw ExitCode(ExitStatus.usage.rawValue) }
        var options = TargetOptions(pinnedNow: now, sigmaHas: sigmaHas, date: date, platform: platform)
        options.sigmaFeatures = sigmaFeatures
        let printer = DiagnosticPrinter()
        let files = try RuleFiles.expandOrExit(paths)
        let reader = try ProjectOverrides.reader(for: paths)
        var failed = false
        var outputs: [(id: String, translation: Translation)] = []
        var firstFileForID: [String: String] = [:]
        // Reading and translating are independent per file, so they run on every core; the
        // diagnostics and outputs below follow the files' order.
        let translated = files.concurrentMap { file -> (RuleReadResult, Result<Translation, WriterError>?) in
            let result = reader.read(fileAt: file)
            guard let rule = result.rule, !result.hasErrors, result.disabledBy == nil else { return (result, nil) }
            return (result, Result { () throws(WriterError) in try target.write(rule, options) })
        }
        for (file, (result, translationResult)) in zip(files, translated) {
            result.diagnostics.forEach(printer.print)
            if let override = result.disabledBy {
                printer.print(ProjectOverrides.skipped(file, by: override, doing: "translated"))
                continue
            }
            guard let rule = result.rule, !result.hasErrors, let translationResult else {
                failed = true
                continue
            }
            let translation: Translation
            switch translationResult {
            case .success(let value): translation = value
            case .failure(let error):
                printer.print(Diagnostic(.error, file: file, at: error.position ?? rule.metadata.positions[.key(.query)] ?? SourcePosition(line: 1, column: 1), error.message))
                failed = true
                continue
            }
            let fallback = rule.metadata.positions[.key(.query)] ?? SourcePosition(line: 1, column: 1)
            for note in translation.notes {
                printer.print(Diagnostic(note.severity, file: file, at: note.position ?? fallback, note.message))
            }
            let id = rule.metadata.id ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            // Output files are named by id: a second rule with the same id would overwrite the first.
            if out != nil, let first = firstFileForID[id.lowercased()] {
                printer.print(Diagnostic(.error, file: file, at: rule.metadata.positions[.key(.id)] ?? SourcePosition(line: 1, column: 1), "id \(id) is also the id of \(first); not written, so that translation is kept"))
                failed = true
                continue
            }
            firstFileForID[id.lowercased()] = file
            outputs.append((id, translation))
        }
        if let out {
            let directory = URL(fileURLWithPath: out)
            let files = outputs.map { id, translation in
                (String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }) + "." + target.fileExtension, translation.text)
            } + target.companionFiles.map { ($0.name, $0.text) }
            for (name, text) in files {
                try OutputFile.write(text, to: directory.appendingPathComponent(name).path)
            }
        } else if bundle == nil {
            FileHandle.standardOutput.write(Data(outputs.map(\.translation.text).joined(separator: target.separator).utf8))
        }
        if let bundle, let makeBundle = target.bundle {
            let text: String
            do {
                text = try makeBundle(outputs.map(\.translation))
            } catch {
                FileHandle.standardError.write(Data("\(bundle):1:1: error: cannot bundle: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            try OutputFile.write(text, to: bundle)
        }
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// The registry: an aligned table for people, JSON for scripts and the oracle suites.
    private func printTargets() throws {
        if format == .text {
            let rows = [["TARGET", "OPTIONS", "EXTENSION", "SUMMARY"]] + OutputTarget.all.map {
                [$0.name, $0.options.map { "--" + $0.rawValue }.sorted().joined(separator: " "), "." + $0.fileExtension, $0.summary]
            }
            let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
            let lines = rows.map { row in
                (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3]
            }
            print(lines.joined(separator: "\n"))
            return
        }
        struct Entry: Encodable {
            var name, language: String
            var dialect: String?
            var fileExtension, goldenSuffix, summary, engine: String
            var options: [String]
        }
        let entries = OutputTarget.all.map {
            Entry(name: $0.name, language: $0.language, dialect: $0.dialect, fileExtension: $0.fileExtension, goldenSuffix: $0.goldenSuffix,
                  summary: $0.summary, engine: $0.engine, options: $0.options.map(\.rawValue).sorted())
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(entries) + Data("\n".utf8))
    }
}

extension SigmaHasForm: ExpressibleByArgument {}
extension QueryPlatform: ExpressibleByArgument {}
extension SigmaFeatures: ExpressibleByArgument {}
