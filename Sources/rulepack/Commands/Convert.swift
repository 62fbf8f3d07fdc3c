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
        PATH is a rule file or a folder (every *.yaml/*.yml below it). With one rule and no --out the translation goes to stdout; with --out DIR each rule is written to DIR/<rule id>.<extension>.

        --to takes a list (kql,sql-postgres,sigma; --dialect may be a list too) or all: the rules are read once and each target is written into its own folder, DIR/<target>, which is replaced as a whole. --to sigma --out DIR also writes DIR/rulepack-pipeline.yaml, the pySigma pipeline for the log sources rulepack invents. --to sentinel-arm --bundle FILE writes one ARM template for all the rules.

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

    @Option(name: .long, help: ArgumentHelp("Target: \(OutputTarget.languages.joined(separator: ", ")), a full name such as sql-postgres, a comma-separated list of them, or all.", valueName: "targets"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("SQL dialect: \(OutputTarget.dialects(of: "sql").joined(separator: ", ")) (default \(OutputTarget.dialects(of: "sql").first ?? "")), or a list of them.", valueName: "dialects"))
    var dialect: String?

    @Option(name: .customLong("sigma-has"), help: "Sigma form of KQL `has`: re (exact term match, default) or contains (broader).")
    var sigmaHas: SigmaHasForm = .re

    @Option(name: .customLong("sigma-features"), help: "Sigma features to use: full (correlation rules, |cased; default) or basic (neither, for backends such as pySigma's Kusto backend).")
    var sigmaFeatures: SigmaFeatures = .full

    @Option(name: .long, help: "Write one file per rule into this folder (with several targets, one folder per target inside it).")
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

    /// The targets `--to` and `--dialect` name (validate() makes sure there is one).
    private var targets: [OutputTarget] {
        to.flatMap { try? TargetSelection.targets(to: $0, dialect: dialect) } ?? []
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
        guard let to else { throw ValidationError("--to is required: \(TargetSelection.choices)") }
        let targets: [OutputTarget]
        do {
            targets = try TargetSelection.targets(to: to, dialect: dialect)
        } catch {
            throw ValidationError(error.message)
        }
        if targets.count > 1, out == nil {
            throw ValidationError("--to \(to) writes \(targets.count) targets, each into its own folder: give --out DIR")
        }
        // An option must be read by a target asked for; targets that do not read it ignore it.
        func reads(_ option: OutputTarget.Option) -> Bool { targets.contains { $0.options.contains(option) } }
        if sigmaHas != .re, !reads(.sigmaHas) {
            throw ValidationError("--sigma-has applies to \(Self.languages(reading: .sigmaHas)) only")
        }
        if sigmaFeatures != .full, !reads(.sigmaFeatures) {
            throw ValidationError("--sigma-features applies to \(Self.languages(reading: .sigmaFeatures)) only")
        }
        if platform != .defender, !reads(.platform) {
            throw ValidationError("--platform applies to \(Self.languages(reading: .platform)) only")
        }
        if let date {
            guard reads(.date) else { throw ValidationError("--date applies to \(Self.languages(reading: .date)) only") }
            guard date.wholeMatch(of: /\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/) != nil else {
                throw ValidationError("--date takes a day written YYYY-MM-DD, such as 2026-11-29")
            }
        }
        if bundle != nil, !reads(.bundle) {
            throw ValidationError("--bundle applies to \(Self.languages(reading: .bundle)) only")
        }
        if let now {
            guard reads(.now) else {
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
        let targets = self.targets
        guard !targets.isEmpty else { throw ExitCode(ExitStatus.usage.rawValue) }
        var options = TargetOptions(pinnedNow: now, sigmaHas: sigmaHas, date: date, platform: platform)
        options.sigmaFeatures = sigmaFeatures
        let printer = DiagnosticPrinter()
        let files = try RuleFiles.expandOrExit(paths)
        let reader = try ProjectOverrides.reader(for: paths)
        var failed = false
        var outputs: [[(id: String, translation: Translation)]] = targets.map { _ in [] }
        var firstFileForStem: [String: (file: String, id: String)] = [:]
        // Each file is read once and translated to every target; files are independent, so
        // they run on every core. Diagnostics and outputs below follow the files' order.
        let translated = files.concurrentMap { file -> (RuleReadResult, [Result<Translation, WriterError>]?) in
            let result = reader.read(fileAt: file)
            guard let rule = result.rule, !result.hasErrors, result.disabledBy == nil else { return (result, nil) }
            return (result, targets.map { target in Result { () throws(WriterError) in try target.write(rule, options) } })
        }
        for (file, (result, translationResults)) in zip(files, translated) {
            result.diagnostics.forEach(printer.print)
            if let override = result.disabledBy {
                printer.print(ProjectOverrides.skipped(file, by: override, doing: "translated"))
                continue
            }
            guard let rule = result.rule, !result.hasErrors, let translationResults else {
                failed = true
                continue
            }
            let fallback = rule.metadata.positions[.key(.query)] ?? SourcePosition(line: 1, column: 1)
            let id = rule.metadata.id ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            // Output files are named by id: a second rule with the same id, or an id that makes the
            // same file name (case aside, for file systems that ignore it), would overwrite the first.
            let stem = Self.fileStem(id).lowercased()
            if out != nil, let (firstFile, firstID) = firstFileForStem[stem] {
                let clash = firstID.lowercased() == id.lowercased() ? "is also the id of \(firstFile)" : "makes the same file name as \(firstID) of \(firstFile)"
                printer.print(Diagnostic(.error, file: file, at: rule.metadata.positions[.key(.id)] ?? SourcePosition(line: 1, column: 1), "id \(id) \(clash); not written, so that translation is kept"))
                failed = true
                continue
            }
            firstFileForStem[stem] = (file, id)
            var diagnostics = TargetDiagnostics(targets: targets.map(\.name))
            for (index, (target, translationResult)) in zip(targets, translationResults).enumerated() {
                switch translationResult {
                case .success(let translation):
                    for note in translation.notes {
                        diagnostics.add(Diagnostic(note.severity, file: file, at: note.position ?? fallback, note.message), from: target.name)
                    }
                    outputs[index].append((id, translation))
                case .failure(let error):
                    diagnostics.add(Diagnostic(.error, file: file, at: error.position ?? fallback, error.message), from: target.name)
                    failed = true
                }
            }
            diagnostics.all.forEach(printer.print)
        }
        if let out {
            let folder = URL(fileURLWithPath: out)
            if targets.count == 1, let target = targets.first {
                for (name, text) in Self.files(of: target, outputs[0]) {
                    try OutputFile.write(text, to: folder.appendingPathComponent(name).path)
                }
            } else {
                for (target, translations) in zip(targets, outputs) {
                    try OutputFolder.replace(folder.appendingPathComponent(target.name), with: Self.files(of: target, translations))
                }
            }
        } else if bundle == nil, let target = targets.first {
            FileHandle.standardOutput.write(Data(outputs[0].map(\.translation.text).joined(separator: target.separator).utf8))
        }
        if let bundle, let index = targets.firstIndex(where: { $0.bundle != nil }), let makeBundle = targets[index].bundle {
            let text: String
            do {
                text = try makeBundle(outputs[index].map(\.translation))
            } catch {
                FileHandle.standardError.write(Data("\(bundle):1:1: error: cannot bundle: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            try OutputFile.write(text, to: bundle)
        }
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// A target's files under `--out`: each translation named by its rule's id, then the
    /// target's companion files.
    static func files(of target: OutputTarget, _ translations: [(id: String, translation: Translation)]) -> [(name: String, text: String)] {
        translations.map { id, translation in (fileStem(id) + "." + target.fileExtension, translation.text) }
            + target.companionFiles.map { ($0.name, $0.text) }
    }

    /// A rule's output file name without its extension: the id, with any character but
    /// letters, digits, `-`, `_` and `.` made `_`.
    static func fileStem(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
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

/// A file's translation diagnostics over several targets, each said once: a message every
/// target gives has no label, one only some give names them (`sql-sqlite, sigma: ...`).
struct TargetDiagnostics {
    let targets: [String]
    private var entries: [(diagnostic: Diagnostic, targets: [String])] = []

    init(targets: [String]) { self.targets = targets }

    mutating func add(_ diagnostic: Diagnostic, from target: String) {
        if let index = entries.firstIndex(where: { $0.diagnostic == diagnostic }) {
            entries[index].targets.append(target)
        } else {
            entries.append((diagnostic, [target]))
        }
    }

    var all: [Diagnostic] {
        entries.map { diagnostic, from in
            guard from.count < targets.count else { return diagnostic }
            var labelled = diagnostic
            labelled.message = from.joined(separator: ", ") + ": " + diagnostic.message
            return labelled
        }
    }
}

extension SigmaHasForm: ExpressibleByArgument {}
extension QueryPlatform: ExpressibleByArgument {}
extension SigmaFeatures: ExpressibleByArgument {}
