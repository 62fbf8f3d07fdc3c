import ArgumentParser
import Foundation
import Hunting
import RuleModel
import RuleReading
import RuleTesting
import Support

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run detection tests: sample events and the findings each rule must give.",
        discussion: """
        PATH is a test file (*.tests.yaml) or a folder (every *.tests.yaml below it). A test names its rule by id (found among the rules beside the test file's folder and under PATH) or by a path relative to the test file. Each case runs on a fresh, empty engine with now() pinned to the file's 'now'.

        Exit status: 0 all cases pass, 1 a case failed, 2 usage or test-file errors (reported at their line and column).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit }

    @Argument(help: "Test files or folders.")
    var paths: [String]

    @Option(name: .long, help: "The SQL engine the rules run on: sqlite (embedded, the default), postgres (a server at --db) or spark (through spark-submit).")
    var engine: EngineName = .sqlite

    @Option(name: .long, help: "With --engine spark: the Spark master (local[*], spark://HOST:7077, yarn, k8s://...).")
    var master: String = "local[*]"

    @Option(name: .long, help: "With --engine postgres: a libpq connection URL, such as postgresql://user@localhost/db. Each case runs in a transaction that is rolled back.")
    var db: String?

    @Option(name: .long, help: "Report format: text, json or junit (JUnit XML for CI).")
    var format: Format = .text

    @Flag(name: .long, help: "Rewrite the expect block of each failing case with what the engine found (nothing else in the file changes).")
    var update = false

    func validate() throws {
        if engine == .postgres, db == nil { throw ValidationError(EngineName.postgresNeedsURL) }
        if engine != .postgres, db != nil { throw ValidationError("--db applies to --engine postgres (sqlite cases run in memory, spark's in its session)") }
        if engine != .spark, master != "local[*]" { throw ValidationError("--master applies to --engine spark") }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        let testFiles = try RuleFiles.expandOrExit(paths, include: { RuleTestFile.isTestFile($0.path) })
        guard !testFiles.isEmpty else {
            FileHandle.standardError.write(Data("no test files (*\(RuleTestFile.suffix)) under \(paths.joined(separator: ", "))\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let folders = paths + testFiles.map { URL(fileURLWithPath: $0).deletingLastPathComponent().deletingLastPathComponent().path }
        let rules = RuleIndex(searching: folders, reader: try ProjectOverrides.reader(for: folders))
        // Fail early, before any file is read, when the server or Spark cannot be reached.
        // Spark starts once; each case then begins with its tables dropped.
        var spark: SparkEngine?
        if engine != .sqlite {
            do {
                let first = try engine.makeEngine(db: db, master: master)
                spark = first as? SparkEngine
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        let (engine, db, master) = (self.engine, self.db, self.master)
        let runner = RuleTestRunner {
            if let spark {
                try spark.reset()
                return spark
            }
            return try engine.makeEngine(db: db, master: master)
        }
        var results: [FileResult] = []
        var fileErrors = false
        for path in testFiles {
            do throws(TestFileError) {
                let file = try RuleTestFileReader().read(fileAt: path)
                let (rule, disabledBy) = try rules.rule(for: file)
                if let disabledBy {
                    printer.print(ProjectOverrides.skipped(path, by: disabledBy, doing: "tested"))
                    continue
                }
                let result = try runner.run(file, rule: rule)
                if update, result.failures > 0 {
                    try self.update(file, result)
                }
                results.append(result)
            } catch {
                printer.print(Diagnostic(.error, file: error.file, at: error.position, error.message))
                fileErrors = true
            }
        }
        switch format {
        case .text: print(TestReports.text(results, colour: printer.colourOut), terminator: "")
        case .json: print(try TestReports.json(results), terminator: "")
        case .junit: print(TestReports.junit(results), terminator: "")
        }
        if fileErrors { throw ExitCode(ExitStatus.usage.rawValue) }
        if update, !results.contains(where: { $0.cases.contains { $0.error != nil } }) { return }
        if results.contains(where: { $0.failures > 0 }) { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// Rewrites the failing cases' expectations (atomically, keeping the file's permissions) and
    /// says which cases changed. The report still shows the run as it was; the exit status is 0.
    private func update(_ file: RuleTestFile, _ result: FileResult) throws(TestFileError) {
        do {
            let text = try String(contentsOfFile: file.path, encoding: .utf8)
            let (updated, changed) = try ExpectationUpdater.update(text, file: file, results: result)
            try writeAtomically(updated, to: URL(fileURLWithPath: file.path))
            for name in changed {
                FileHandle.standardError.write(Data("\(file.path): updated the expectation of '\(name)'\n".utf8))
            }
        } catch {
            throw TestFileError(file.path, SourcePosition(line: 1, column: 1), "cannot update: \(error)")
        }
    }
}

/// The rules a test file may name by id: every rule file below the folders searched.
struct RuleIndex {
    /// Each rule as its local overrides tune it, and the override that turns it off, if any.
    var byID: [String: (rule: Rule, disabledBy: RuleOverride?)] = [:]
    var reader: SentinelRuleReader

    init(searching folders: [String], reader: SentinelRuleReader) {
        self.reader = reader
        let existing = folders.filter { FileManager.default.fileExists(atPath: $0) }
        for path in Set((try? RuleFiles.expand(existing)) ?? []).sorted() {
            let read = reader.read(fileAt: path)
            if let rule = read.rule, let id = rule.metadata.id?.lowercased(), byID[id] == nil {
                byID[id] = (rule, read.disabledBy)
            }
        }
    }

    func rule(for file: RuleTestFile) throws(TestFileError) -> (rule: Rule, disabledBy: RuleOverride?) {
        switch file.rule {
        case .id(let id):
            guard let found = byID[id.lowercased()] else {
                throw TestFileError(file.path, file.rulePosition, "no rule with id \(id) beside the test file or under the paths given")
            }
            return found
        case .path(let relative):
            let path = URL(fileURLWithPath: file.path).deletingLastPathComponent().appendingPathComponent(relative).standardizedFileURL.path
            let read = reader.read(fileAt: path)
            guard let rule = read.rule, !read.hasErrors else {
                let reason = read.diagnostics.first { $0.severity == .error }?.message ?? "cannot be read"
                throw TestFileError(file.path, file.rulePosition, "the rule \(relative) \(FileManager.default.fileExists(atPath: path) ? "has errors: \(reason)" : "does not exist")")
            }
            return (rule, read.disabledBy)
        }
    }
}
