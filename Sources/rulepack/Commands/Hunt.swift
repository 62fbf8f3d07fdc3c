import ArgumentParser
import Foundation
import Hunt
import RuleModel
import RuleReading
import RuleWriting
import SQLiteDatabase
import Support

struct HuntCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Run rules over exported Defender events on an embedded SQLite database.",
        discussion: """
        Events are CSV files with a header or JSON Lines, one file per table: the table is the file's name (DeviceNetworkEvents.csv) or given as TABLE=FILE. Timestamps are ISO-8601 UTC as Defender exports write them.

        Exit status: 0 no rule found anything, 1 findings (or a rule that could not run), 2 usage or I/O error.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Argument(help: "Rule files or packs.")
    var paths: [String]

    @Option(name: .long, parsing: .upToNextOption, help: "Events files (TABLE=FILE, or named after their table).")
    var events: [String] = []

    @Option(name: .long, help: "Keep the events in this SQLite file, and reuse them on the next run.")
    var db: String?

    @Option(name: .long, help: "Output: table, json or csv.")
    var format: Format = .table

    @Option(name: .long, help: "The instant now() means (ISO-8601 UTC), to hunt a past export as of its own time.")
    var now: String?

    func validate() throws {
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

        let reader = SentinelRuleReader()
        let hunter = Hunter(database: database, pinnedNow: now)
        var warnedEmpty: Set<String> = []
        var results: [RuleFindings] = []
        var failed = false
        for file in files {
            let read = reader.read(fileAt: file)
            guard let rule = read.rule, !read.hasErrors else {
                read.diagnostics.filter { $0.severity == .error }.forEach(printer.print)
                failed = true
                continue
            }
            let table = rule.detection.source.name
            if !loader.hasRows(table), warnedEmpty.insert(table).inserted {
                printer.print(Diagnostic(.warning, file: file, at: rule.detection.source.position ?? SourcePosition(line: 1, column: 1), "no events are loaded for \(table): rules over it find nothing"))
            }
            let findings = hunter.hunt(rule)
            if let error = findings.error {
                printer.print(Diagnostic(.error, file: file, at: rule.metadata.positions[.key(.query)] ?? SourcePosition(line: 1, column: 1), error))
                failed = true
            }
            results.append(findings)
        }

        switch format {
        case .table: print(HuntOutput.table(results), terminator: "")
        case .json: FileHandle.standardOutput.write(Data(try HuntOutput.json(results).utf8))
        case .csv: print(HuntOutput.csv(results), terminator: "")
        }
        if failed || results.contains(where: { !$0.rows.isEmpty }) { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}

/// The three output formats of hunt.
enum HuntOutput {
    static func text(_ value: SQLiteValue) -> String {
        switch value {
        case .null: return ""
        case .text(let s) where s.hasPrefix("["):
            // make_set has no order: its elements are shown sorted, so output is stable.
            if let integers = integerArray(s) { return "[" + integers.map(String.init).joined(separator: ",") + "]" }
            guard let array = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Any] else { return s }
            let sorted = sortedElements(array)
            guard let data = try? JSONSerialization.data(withJSONObject: sorted, options: [.withoutEscapingSlashes]) else { return s }
            return String(decoding: data, as: UTF8.self)
        default: return value.description
        }
    }

    /// A JSON array of whole numbers (what make_set(ReportId) gives), sorted; nil for any other
    /// text. Parsed by hand: it is on the path of every finding.
    static func integerArray(_ s: String) -> [Int64]? {
        let utf8 = s.utf8
        guard utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") else { return nil }
        let inner = utf8.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        var values: [Int64] = []
        for part in inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let value = Int64(Substring(part)) else { return nil }
            values.append(value)
        }
        return values.sorted()
    }

    static func sortedElements(_ array: [Any]) -> [Any] {
        array.sorted { a, b in
            switch (a, b) {
            case (let x as NSNumber, let y as NSNumber): x.doubleValue < y.doubleValue
            case (let x as String, let y as String): x < y
            case (is NSNumber, is String): true
            default: false
            }
        }
    }

    /// Per rule: its name and id, then its findings as an aligned table.
    static func table(_ results: [RuleFindings]) -> String {
        var out = ""
        for result in results {
            let name = result.rule.metadata.name ?? result.rule.sourceFile
            let count = result.rows.count
            out += "\(name) [\(result.rule.metadata.id ?? "no id")]: \(result.error != nil ? "not run" : count == 0 ? "no findings" : "\(count) finding\(count == 1 ? "" : "s")")\n"
            guard !result.rows.isEmpty else { continue }
            let cells = [result.columns] + result.rows.map { $0.map(text) }
            let widths = result.columns.indices.map { i in cells.map { $0[i].count }.max() ?? 0 }
            for row in cells {
                out += "  " + row.enumerated().map { i, cell in
                    i == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count))
                }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    enum JSONValue: Encodable {
        case null, integer(Int64), real(Double), text(String), array([JSONValue])

        init(_ value: SQLiteValue, column: String) {
            switch value {
            case .null: self = .null
            case .integer(let n): self = .integer(n)
            case .real(let x): self = .real(x)
            case .text(let s):
                // Sets and lists come out of SQLite as JSON arrays.
                if let integers = HuntOutput.integerArray(s) {
                    self = .array(integers.map(JSONValue.integer))
                } else if s.hasPrefix("["), let array = try? JSONSerialization.jsonObject(with: Data(s.utf8)) as? [Any] {
                    self = .array(HuntOutput.sortedElements(array).map { item in
                        switch item {
                        case let n as NSNumber: n.doubleValue == n.doubleValue.rounded() ? .integer(n.int64Value) : .real(n.doubleValue)
                        case let t as String: .text(t)
                        default: .null
                        }
                    })
                } else {
                    self = .text(s)
                }
            }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .integer(let n): try container.encode(n)
            case .real(let x): try container.encode(x)
            case .text(let s): try container.encode(s)
            case .array(let a): try container.encode(a)
            }
        }
    }

    struct RuleResult: Encodable {
        var rule: String
        var id: String?
        var file: String
        var error: String?
        var columns: [String]
        var findings: [[String: JSONValue]]
    }

    static func json(_ results: [RuleFindings]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let value = results.map { r in
            RuleResult(
                rule: r.rule.metadata.name ?? r.rule.sourceFile, id: r.rule.metadata.id, file: r.rule.sourceFile, error: r.error, columns: r.columns,
                findings: r.rows.map { row in Dictionary(uniqueKeysWithValues: zip(r.columns, row).map { ($0, JSONValue($1, column: $0)) }) }
            )
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// One CSV row per finding: the rule, its group columns as `name=value; ...`, and the
    /// catalogue's FirstSeen, LastSeen, Count and Report where the rule has them.
    static func csv(_ results: [RuleFindings]) -> String {
        let fixed = ["FirstSeen", "LastSeen", "Count", "Report"]
        var lines = [(["rule_id", "rule_name", "group"] + fixed).map(field).joined(separator: ",")]
        for r in results {
            for row in r.rows {
                let values = Dictionary(uniqueKeysWithValues: zip(r.columns, row.map(text)))
                let group = r.columns.filter { !fixed.contains($0) }.map { "\($0)=\(values[$0] ?? "")" }.joined(separator: "; ")
                lines.append(([r.rule.metadata.id ?? "", r.rule.metadata.name ?? "", group] + fixed.map { values[$0] ?? "" }).map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
