import ArgumentParser
import Foundation
import Hunting
import RuleModel
import RuleReading
import RuleWriting
import SQLiteDatabase
import Support

struct Hunt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Run rules over exported Defender events, on embedded SQLite, a PostgreSQL server or Apache Spark.",
        discussion: """
        Events are CSV files with a header or JSON Lines, one file per table: the table is the file's name (DeviceNetworkEvents.csv) or given as TABLE=FILE. Timestamps are ISO-8601 UTC as Defender exports write them.

        With --engine postgres, --db is a libpq connection URL: the events are loaded into a schema of their own inside one transaction, which is rolled back at the end, so the server keeps nothing.

        With --engine spark, rulepack runs spark-submit (from SPARK_HOME, else PATH) on --master, and Spark reads the events where they are: Parquet, JSON Lines or CSV files or folders, local or any URL Spark reads (s3a://, abfss://, hdfs://). The format comes from the name's extension, a folder's data files, or --events-format. Only each rule's findings come back.

        Exit status: 0 no rule found anything, 1 findings (or a rule that could not run), 2 usage or I/O error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Argument(help: "Rule files or packs.")
    var paths: [String]

    @Option(name: .long, parsing: .upToNextOption, help: "Events files (TABLE=FILE, or named after their table).")
    var events: [String] = []

    @Option(name: .long, help: "The SQL engine: sqlite (embedded, the default), postgres or spark.")
    var engine: EngineName = .sqlite

    @Option(name: .long, help: "spark: the master (local[*], spark://HOST:7077, yarn, k8s://...).")
    var master: String = "local[*]"

    @Option(name: .long, help: "spark: the events' format when their names do not tell (parquet, json or csv).")
    var eventsFormat: SparkEngine.EventsFormat?

    @Option(name: .long, help: "sqlite: keep the events in this file and reuse them on the next run. postgres: the server's libpq connection URL.")
    var db: String?

    @Option(name: .long, help: "Output: table, json or csv.")
    var format: Format = .table

    @Option(name: .long, help: "The instant now() means (ISO-8601 UTC), to hunt a past export as of its own time.")
    var now: String?

    func validate() throws {
        if engine == .postgres {
            guard db != nil else { throw ValidationError(EngineName.postgresNeedsURL) }
            guard !events.isEmpty else { throw ValidationError("--engine postgres loads --events files on each run (nothing is kept on the server)") }
        }
        if engine != .spark, master != "local[*]" || eventsFormat != nil {
            throw ValidationError("--master and --events-format apply to --engine spark")
        }
        if engine == .spark {
            guard !events.isEmpty else { throw ValidationError("--engine spark reads --events files or folders on each run") }
            guard db == nil else { throw ValidationError("--db applies to --engine sqlite and postgres; Spark reads the --events where they are") }
        }
        if events.isEmpty && db == nil {
            throw ValidationError("give --events files, or --db with events loaded on an earlier run")
        }
        if let now, !Self.isISOTimestamp(now) {
            throw ValidationError("--now takes an ISO-8601 UTC timestamp such as 2026-11-29T12:00:00Z, not '\(now)'")
        }
    }

    /// `2026-11-29`, `2026-11-29T12:00:00Z`, `2026-11-29T12:00:00.1234567+01:00`, ...
    static func isISOTimestamp(_ text: String) -> Bool {
        let pattern = #"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        let files = try RuleFiles.expandOrExit(paths)
        let (hunt, hasRows) = switch engine {
        case .sqlite: try sqlite(printer)
        case .postgres: try postgres(printer)
        case .spark: try spark(printer)
        }
        let reader = try ProjectOverrides.reader(for: paths)
        var warnedEmpty: Set<String> = []
        var results: [RuleFindings] = []
        var failed = false
        for file in files {
            let read = reader.read(fileAt: file)
            if let override = read.disabledBy {
                printer.print(ProjectOverrides.skipped(file, by: override, doing: "hunted"))
                continue
            }
            guard let rule = read.rule, !read.hasErrors else {
                read.diagnostics.filter { $0.severity == .error }.forEach(printer.print)
                failed = true
                continue
            }
            let table = rule.detection.source.name
            if !hasRows(table), warnedEmpty.insert(table).inserted {
                printer.print(Diagnostic(.warning, file: file, at: rule.detection.source.position ?? SourcePosition(line: 1, column: 1), "no events are loaded for \(table): rules over it find nothing"))
            }
            let findings = hunt(rule)
            if let error = findings.error {
                printer.print(Diagnostic(.error, file: file, at: rule.metadata.positions[.key(.query)] ?? SourcePosition(line: 1, column: 1), error))
                failed = true
            }
            results.append(findings)
        }

        switch format {
        case .table: print(FindingsOutput.table(results), terminator: "")
        case .json: FileHandle.standardOutput.write(Data(try FindingsOutput.json(results).utf8))
        case .csv: print(FindingsOutput.csv(results), terminator: "")
        }
        if failed || results.contains(where: { !$0.rows.isEmpty }) { throw ExitCode(ExitStatus.findings.rawValue) }
    }

    /// Loads the events into SQLite (a file with --db, reused on the next run).
    private func sqlite(_ printer: DiagnosticPrinter) throws -> (hunt: (Rule) -> RuleFindings, hasRows: (String) -> Bool) {
        let database: SQLiteDatabase
            do {
                database = try SQLiteDatabase(path: db ?? ":memory:")
            } catch {
                FileHandle.standardError.write(Data("\(db ?? ""):1:1: error: cannot open the database: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }

            let loader = EventLoader(database: database)
            let bar = ProgressBar()
            for argument in events {
                let file = EventFile(argument: argument)
                let started = Date()
                let report: LoadReport
                do {
                    report = try loader.load(file) { done, total in bar.show(URL(fileURLWithPath: file.path).lastPathComponent, done: done, total: total, detail: total > 0 ? "\(100 * done / total)%" : "") }
                } catch {
                    bar.clear()
                    FileHandle.standardError.write(Data("\(file.path):1:1: error: cannot load the events: \(error)\n".utf8))
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
                bar.clear()
                for problem in report.problems {
                    printer.print(Diagnostic(.warning, file: problem.path, at: SourcePosition(line: problem.line, column: 1), problem.message + "; the line is skipped"))
                }
                let seconds = max(Date().timeIntervalSince(started), 0.000_001)
                FileHandle.standardError.write(Data("loaded \(report.rows) events into \(report.table) from \(file.path) in \(String(format: "%.2f", seconds)) s (\(Int(Double(report.rows) / seconds)) events/s)\n".utf8))
            }

            try loader.createMissingTables()
        try loader.createMissingTables()
        let hunter = Hunter(engine: SQLiteEngine(database: database), pinnedNow: now)
        return (hunter.hunt, loader.hasRows)
    }

    /// Loads the events into a fresh schema on the PostgreSQL server at --db (rolled back at the end).
    private func postgres(_ printer: DiagnosticPrinter) throws -> (hunt: (Rule) -> RuleFindings, hasRows: (String) -> Bool) {
        let engine: QueryEngine
        do {
            engine = try EngineName.postgres.makeEngine(db: db, master: master)
            try engine.createTables(.defender)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var loaded: Set<String> = []
        for argument in events {
            let file = EventFile(argument: argument)
            let started = Date()
            do {
                guard let table = SchemaCatalogue.defender.table(named: file.table) else {
                    throw PostgresError(message: Self.unknownTable(file))
                }
                let records = try EventRecords.read(fileAt: file.path)
                var ignored: Set<String> = []
                var malformed = 0
                let rows = records.map { record in
                    Dictionary(uniqueKeysWithValues: record.compactMap { column, text -> (String, EventValue)? in
                        guard let schema = table.column(named: column) else {
                            ignored.insert(column)
                            return nil
                        }
                        guard let value = EventValue(text, as: schema.type) else {
                            malformed += 1
                            return (column, .null)
                        }
                        return (column, value)
                    })
                }
                if malformed > 0 {
                    printer.print(Diagnostic(.warning, file: file.path, at: SourcePosition(line: 1, column: 1), "\(malformed) values are not of their column's type; they are loaded as null"))
                }
                try engine.insert(rows, into: table)
                if !rows.isEmpty { loaded.insert(table.name) }
                for column in ignored.sorted() {
                    printer.print(Diagnostic(.warning, file: file.path, at: SourcePosition(line: 1, column: 1), "\(table.name) has no column '\(column)'; it is not loaded into PostgreSQL"))
                }
                let seconds = max(Date().timeIntervalSince(started), 0.000_001)
                FileHandle.standardError.write(Data("loaded \(rows.count) events into \(table.name) from \(file.path) in \(String(format: "%.2f", seconds)) s (\(Int(Double(rows.count) / seconds)) events/s)\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("\(file.path):1:1: error: cannot load the events: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        let hunter = Hunter(engine: engine, pinnedNow: now)
        return (hunter.hunt, { loaded.contains($0) })
    }

    static func unknownTable(_ file: EventFile) -> String {
        "no Defender table is named \(file.table) (name the file after its table, or give TABLE=PATH)"
    }

    /// Starts Spark and points each table at its events, which Spark reads where they are.
    private func spark(_ printer: DiagnosticPrinter) throws -> (hunt: (Rule) -> RuleFindings, hasRows: (String) -> Bool) {
        func fail(_ place: String, _ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("\(place)error: \(message)\n".utf8))
            return ExitCode(ExitStatus.usage.rawValue)
        }
        // Check every argument before Spark takes seconds to start.
        var sources: [(file: EventFile, table: TableSchema, format: SparkEngine.EventsFormat)] = []
        for argument in events {
            let file = EventFile(argument: argument)
            guard let table = SchemaCatalogue.defender.table(named: file.table) else {
                throw fail("\(file.path):1:1: ", Self.unknownTable(file))
            }
            if !file.path.contains("://"), !FileManager.default.fileExists(atPath: file.path) {
                throw fail("\(file.path):1:1: ", "no such file or folder")
            }
            guard let format = eventsFormat ?? SparkEngine.EventsFormat.detect(file.path) else {
                throw fail("\(file.path):1:1: ", "cannot tell the events' format from the name: give --events-format parquet, json or csv")
            }
            sources.append((file, table, format))
        }
        let engine: SparkEngine
        do {
            engine = try SparkEngine(master: master)
        } catch {
            throw fail("", "\(error)")
        }
        var loaded: Set<String> = []
        for source in sources {
            let started = Date()
            do {
                let (isEmpty, ignored) = try engine.load(table: source.table, path: source.file.path, format: source.format)
                if !isEmpty { loaded.insert(source.table.name) }
                for column in ignored {
                    printer.print(Diagnostic(.warning, file: source.file.path, at: SourcePosition(line: 1, column: 1), "\(source.table.name) has no column '\(column)'; Spark does not read it"))
                }
            } catch {
                throw fail("\(source.file.path):1:1: ", "cannot load the events: \(error)")
            }
            let seconds = max(Date().timeIntervalSince(started), 0.000_001)
            FileHandle.standardError.write(Data("Spark reads \(source.table.name) from \(source.file.path) (\(source.format.rawValue)), opened in \(String(format: "%.2f", seconds)) s\n".utf8))
        }
        do {
            try engine.createTables(.defender)
        } catch {
            throw fail("", "\(error)")
        }
        let hunter = Hunter(engine: engine, pinnedNow: now)
        return (hunter.hunt, { loaded.contains($0) })
    }
}
extension SparkEngine.EventsFormat: ExpressibleByArgument {}
