import ArgumentParser
import Foundation
import RuleModel
import RuleReading
import RuleWriting
import Support

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate rules to KQL, SQL or Sigma.",
        discussion: """
        PATH is a rule file or a folder (every *.yaml/*.yml below it). With one rule and no --out the translation goes to stdout; with --out DIR each rule is written to DIR/<rule id>.kql, .sql or .yml.

        Problems go to stderr as path:line:col: severity: message. Exit status: 0 all rules translated, 1 some rule failed, 2 usage or I/O error.
        """
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case kql, sql, sigma
        var fileExtension: String { self == .sigma ? "yml" : rawValue }
    }

    @Argument(help: "Rule files or folders.")
    var paths: [String]

    @Option(name: .long, help: "Target language: kql, sql or sigma.")
    var to: Target

    @Option(name: .long, help: "SQL dialect: sqlite (default), postgres, duckdb or spark.")
    var dialect: SQLDialectName = .sqlite

    @Option(name: .customLong("sigma-has"), help: "Sigma form of KQL `has`: re (exact term match, default) or contains (broader).")
    var sigmaHas: SigmaHasForm = .re

    @Option(name: .long, help: "Write one file per rule into this folder.")
    var out: String?

    @Option(name: .long, help: "SQL only: the instant now() means (ISO-8601 UTC), for reproducible SQL.")
    var now: String?

    func validate() throws {
        if to != .sql, dialect != .sqlite {
            throw ValidationError("--dialect applies to --to sql only")
        }
        if to != .sigma, sigmaHas != .re {
            throw ValidationError("--sigma-has applies to --to sigma only")
        }
        if let now {
            guard to == .sql else { throw ValidationError("--now applies to --to sql only") }
            guard HuntCommand.isISOTimestamp(now) else { throw ValidationError("--now takes an ISO-8601 UTC timestamp such as 2026-11-29T12:00:00Z") }
        }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        let files = try RuleFiles.expandOrExit(paths)
        let reader = SentinelRuleReader()
        var failed = false
        var outputs: [(id: String, text: String)] = []
        var firstFileForID: [String: String] = [:]
        // Reading and translating are independent per file, so they run on every core; the
        // diagnostics and outputs below follow the files' order.
        let translated = files.concurrentMap { file -> (RuleReadResult, Result<Translation, WriterError>?) in
            let result = reader.read(fileAt: file)
            guard let rule = result.rule, !result.hasErrors else { return (result, nil) }
            return (result, Result { () throws(WriterError) in try translate(rule) })
        }
        for (file, (result, translationResult)) in zip(files, translated) {
            result.diagnostics.forEach(printer.print)
            guard let rule = result.rule, !result.hasErrors, let translationResult else {
                failed = true
                continue
            }
            let translation: Translation
            switch translationResult {
            case .success(let value): translation = value
            case .failure(let error):
                printer.print(Diagnostic(.error, file: file, at: error.position ?? rule.metadata.positions["query"] ?? SourcePosition(line: 1, column: 1), error.message))
                failed = true
                continue
            }
            let fallback = rule.metadata.positions["query"] ?? SourcePosition(line: 1, column: 1)
            for note in translation.notes {
                printer.print(Diagnostic(note.severity, file: file, at: note.position ?? fallback, note.message))
            }
            let id = rule.metadata.id ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            // Output files are named by id: a second rule with the same id would overwrite the first.
            if out != nil, let first = firstFileForID[id.lowercased()] {
                printer.print(Diagnostic(.error, file: file, at: rule.metadata.positions["id"] ?? SourcePosition(line: 1, column: 1), "id \(id) is also the id of \(first); not written, so that translation is kept"))
                failed = true
                continue
            }
            firstFileForID[id.lowercased()] = file
            outputs.append((id, translation.text))
        }
        if let out {
            let directory = URL(fileURLWithPath: out)
            for (id, text) in outputs {
                let safeName = id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }
                do {
                    try writeAtomically(text, to: directory.appendingPathComponent(String(safeName) + "." + to.fileExtension), durable: false)
                } catch {
                    FileHandle.standardError.write(Data("\(out):1:1: error: cannot write: \(error.localizedDescription)\n".utf8))
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
            }
        } else {
            FileHandle.standardOutput.write(Data(outputs.map(\.text).joined(separator: separator).utf8))
        }
        if failed { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// Between translations printed together on stdout.
    private var separator: String {
        switch to {
        case .kql, .sql: "\n"
        case .sigma: "---\n"
        }
    }

    private func translate(_ rule: Rule) throws(WriterError) -> Translation {
        switch to {
        case .kql: KQLWriter().write(rule)
        case .sql: try SQLWriter(dialect: dialect.dialect, pinnedNow: now).write(rule)
        case .sigma: try SigmaWriter(hasForm: sigmaHas).write(rule)
        }
    }
}

extension SQLDialect.Name: ExpressibleByArgument {}

typealias SQLDialectName = SQLDialect.Name

extension SQLDialect.Name {
    var dialect: SQLDialect { SQLDialect.named(self) }
}

extension SigmaHasForm: ExpressibleByArgument {}
