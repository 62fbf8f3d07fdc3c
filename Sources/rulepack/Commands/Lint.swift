import ArgumentParser
import Foundation
import PackSync
import ToolCatalogues
import RuleChecks
import RuleModel
import Support

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rules: ids, fields, tactics, techniques, schema, query and false-positive filters.",
        discussion: """
        PATH is a rule file or a folder (every *.yaml/*.yml below it). Findings are sorted by file and position; text output is path:line:col: severity: message [check].

        Exit status: 0 no error found (warnings alone give 0 unless --strict), 1 errors found, 2 usage or I/O error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    @Argument(help: "Rule files or folders.")
    var paths: [String] = []

    @Option(name: .long, help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Flag(name: .long, help: "Apply the mechanical repairs (YAML indentation, tactic spellings), then report what is left.")
    var fix = false

    @Flag(name: .customLong("fix-ids"), help: "With --fix, also give a missing or malformed id a fresh GUID.")
    var fixIDs = false

    @Option(name: .long, parsing: .upToNextOption, help: "Check ids to skip.")
    var disable: [String] = []

    @Flag(name: .long, help: "Exit 1 on warnings too.")
    var strict = false

    @Flag(name: .customLong("list-checks"), help: "List the checks and the data they use, and exit.")
    var listChecks = false

    @Option(name: .long, help: ArgumentHelp("A LOLRMM checkout (or folder of its tool files) whose recorded signers and companies the rules' literals are compared with.", valueName: "path"))
    var evidence: String?

    @Flag(name: .customLong("require-tests"), help: "Also require every rule to be named by a detection test (*.tests.yaml) under the paths linted.")
    var requireTests = false

    func validate() throws {
        if !listChecks && paths.isEmpty {
            throw ValidationError("give at least one rule file or folder (or --list-checks)")
        }
        let unknown = disable.filter { Checks.named($0) == nil }
        if !unknown.isEmpty {
            throw ValidationError("unknown check \(unknown.joined(separator: ", ")); rulepack lint --list-checks lists them")
        }
        if fixIDs && !fix {
            throw ValidationError("--fix-ids goes with --fix")
        }
    }

    func run() throws {
        if listChecks {
            printChecks()
            return
        }
        // With --require-tests the test files are linted too, for the rules they name.
        let files = requireTests
            ? try RuleFiles.expandOrExit(paths, include: { ["yaml", "yml"].contains($0.pathExtension.lowercased()) })
            : try RuleFiles.expandOrExit(paths)
        // Overrides are checked for the packs linted whole: a folder at or below a path given.
        let roots = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let overrides = try ProjectOverrides.load(for: paths)
        let linted = OverrideSet(packs: overrides.packs.filter { pack in roots.contains { pack.folder == $0 || pack.folder.hasPrefix($0 + "/") } })
        let linter = Linter(checks: (Checks.all + (requireTests ? Checks.optIn : [])).filter { !disable.contains($0.info.id) }, context: LintContext(overrides: linted, evidence: try loadEvidence()))
        var lintFiles = try load(files)
        var findings = linter.lint(lintFiles)

        if fix {
            var fixedFiles = 0, fixedFindings = 0
            for file in lintFiles {
                let fixes = findings.filter { $0.file == file.path }.compactMap(\.fix).filter { $0.kind == .mechanical || fixIDs }
                guard !fixes.isEmpty else { continue }
                let text = Fixer.apply(fixes.flatMap(\.edits), to: file.text)
                guard text != file.text else { continue }
                do {
                    try writeAtomically(text, to: URL(fileURLWithPath: file.path))
                } catch {
                    FileHandle.standardError.write(Data("\(file.path):1:1: error: cannot write the fix: \(error.localizedDescription)\n".utf8))
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
                fixedFiles += 1
                fixedFindings += fixes.count
            }
            FileHandle.standardError.write(Data("fixed \(fixedFindings) finding\(fixedFindings == 1 ? "" : "s") in \(fixedFiles) file\(fixedFiles == 1 ? "" : "s")\n".utf8))
            lintFiles = try load(files)
            findings = linter.lint(lintFiles)
        }

        switch format {
        case .text:
            let printer = DiagnosticPrinter()
            for (finding, line) in zip(findings, TextReporter.lines(findings)) {
                printer.printLine(line, severity: finding.severity, toStandardOutput: true)
            }
            print(TextReporter.summary(findings, files: lintFiles.count))
        case .json:
            FileHandle.standardOutput.write(Data(try JSONReporter.report(findings).utf8))
        case .sarif:
            FileHandle.standardOutput.write(Data(try SARIFReporter.report(findings, checks: linter.checks, toolVersion: Rulepack.version).utf8))
        }
        let failing = findings.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// The tool catalogue of `--evidence`; a file that does not read is an error at its place.
    private func loadEvidence() throws -> [ToolEvidence] {
        // A generated pack keeps the tool files it came from: evidence without --evidence.
        let synced = paths.flatMap { path in
            LOLRMMImport.toolFiles(in: (path as NSString).appendingPathComponent(PackSpec.evidenceFolder + "/yaml"))
        }
        guard let evidence else { return read(evidence: synced) }
        let files = LOLRMMImport.toolFiles(in: evidence)
        guard !files.isEmpty else {
            FileHandle.standardError.write(Data((LOLRMMImport.noToolFiles(at: evidence) + "\n").utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        return read(evidence: files + synced)
    }

    /// A tool file that does not read is reported and left out; the others are evidence.
    private func read(evidence files: [String]) -> [ToolEvidence] {
        files.compactMap { file in
            do throws(TextError) {
                return try LOLRMMTool.read(fileAt: file).evidence
            } catch {
                FileHandle.standardError.write(Data("\(file):\(error.position.line):\(error.position.column): warning: not used as evidence: \(error.message)\n".utf8))
                return nil
            }
        }
    }

    /// Reads and parses the files on every core.
    private func load(_ files: [String]) throws -> [LintFile] {
        let loaded = files.concurrentMap { path -> (file: LintFile?, problem: String?) in
            do { return (try LintFile.load(path), nil) } catch { return (nil, error.localizedDescription) }
        }
        return try zip(files, loaded).map { path, result in
            guard let file = result.file else {
                FileHandle.standardError.write(Data("\(path):1:1: error: cannot read the file: \(result.problem ?? "")\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            return file
        }
    }

    private func printChecks() {
        let attack = AttackCatalogue.enterprise
        print("ATT&CK Enterprise v\(attack.version) (\(attack.techniques.count) techniques); Defender tables: \(SchemaCatalogue.defender.tables.keys.sorted().joined(separator: ", "))")
        print()
        let width = (Checks.all + Checks.optIn).map(\.info.id.count).max() ?? 0
        for check in Checks.all + Checks.optIn {
            let id = check.info.id.padding(toLength: width, withPad: " ", startingAt: 0)
            let severity = check.info.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            print("\(id)  \(severity)  \(check.info.summary)")
        }
    }
}
