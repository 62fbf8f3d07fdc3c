import Foundation
import RuleModel
import RuleWriting
#if canImport(Glibc)
import Glibc
#endif

public struct SparkError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Apache Spark, driven through `spark-submit` and a small Python driver shipped with rulepack.
///
/// The driver connects back to rulepack on loopback and answers one JSON request per line.
/// Events are named by path or URL and read by Spark itself (on a cluster, by its executors);
/// only each query's result rows come back. The driver runs in client mode, on this machine,
/// so `--master` may be `local[*]`, `spark://host:7077`, `yarn` or `k8s://...`.
public final class SparkEngine: QueryEngine {
    public let dialect = SQLDialect.spark
    private let process: Process
    private let connection: LineConnection
    private let logFile: URL

    /// The formats Spark reads events in, from a path's extension.
    public enum EventsFormat: String, CaseIterable, Sendable {
        case parquet, json, csv

        public init?(path: String) {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "parquet", "pq": self = .parquet
            case "json", "jsonl", "ndjson": self = .json
            case "csv": self = .csv
            default: return nil
            }
        }

        /// A path's format: its extension, or for a local folder the extension of its data files
        /// (Spark writes `part-*.parquet` and a `_SUCCESS` marker).
        public static func detect(_ path: String) -> EventsFormat? {
            if let format = EventsFormat(path: path) { return format }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
            let formats = Set(names.filter { !$0.hasPrefix(".") && !$0.hasPrefix("_") }.compactMap { EventsFormat(path: $0) })
            return formats.count == 1 ? formats.first : nil
        }
    }

    /// What `spark-submit` rulepack would run: `$SPARK_HOME/bin/spark-submit`, else the first on PATH.
    public static func submitCommand(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let home = environment["SPARK_HOME"], !home.isEmpty {
            let path = URL(fileURLWithPath: home).appendingPathComponent("bin/spark-submit").path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw SparkError("SPARK_HOME is \(home), but \(path) is not an executable spark-submit; point SPARK_HOME at an Apache Spark installation")
            }
            return path
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let path = URL(fileURLWithPath: String(folder)).appendingPathComponent("spark-submit").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw SparkError(missingSpark)
    }

    public static let missingSpark = "--engine spark needs Apache Spark (3.4 or newer, with Java 17+): set SPARK_HOME to its folder or put its bin/spark-submit on PATH ('pip install pyspark' provides one)"

    /// Starts the driver on `master` and waits until it has connected.
    public init(master: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let submit = try Self.submitCommand(environment: environment)
        guard let driver = Bundle.module.url(forResource: "rulepack-spark-driver", withExtension: "py") else {
            throw SparkError("the Spark driver is missing from rulepack's resources")
        }
        let listener = try LoopbackListener()
        let token = UUID().uuidString
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-spark-\(token).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: submit)
        process.arguments = [
            "--master", master, "--name", "rulepack",
            "--conf", "spark.sql.session.timeZone=UTC", "--conf", "spark.ui.showConsoleProgress=false",
            driver.path, String(listener.port), token,
        ]
        var environment = environment
        environment["TZ"] = "UTC"  // Python turns Spark's instants into local times; local is UTC.
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw SparkError("cannot start \(submit): \(error.localizedDescription)")
        }
        let process = process
        let logFile = logFile
        guard let connection = try listener.accept(while: { process.isRunning }) else {
            process.waitUntilExit()
            throw SparkError("Spark stopped before it started (exit \(process.terminationStatus)): \(Self.lastLines(of: logFile))")
        }
        guard let hello = try connection.readLine(), let object = Self.object(hello), object["token"] as? String == token else {
            process.terminate()
            throw SparkError("a process other than rulepack's Spark driver connected")
        }
        self.connection = connection
    }

    deinit {
        try? connection.writeLine(Self.line(["op": "quit"]))
        connection.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFile)
    }

    /// The driver's answer to one request; a Spark error is thrown with the engine's message.
    @discardableResult
    func request(_ body: [String: Any]) throws -> [String: Any] {
        try connection.writeLine(Self.line(body))
        guard let answer = try connection.readLine() else {
            process.waitUntilExit()
            throw SparkError("Spark stopped (exit \(process.terminationStatus)): \(Self.lastLines(of: logFile))")
        }
        guard let object = Self.object(answer) else { throw SparkError("unreadable answer from the Spark driver: \(answer.prefix(200))") }
        if let error = object["error"] as? String { throw SparkError("Spark: \(error)") }
        return object
    }

    static func columnList(_ table: TableSchema) -> [[String]] {
        table.columns.map { [$0.name, $0.type.rawValue] }
    }

    /// Points the table at events Spark reads where they are (a file, a folder or a URL).
    /// Returns whether it holds no event, and the columns the catalogue does not know.
    public func load(table: TableSchema, path: String, format: EventsFormat) throws -> (isEmpty: Bool, ignored: [String]) {
        let answer = try request(["op": "load", "table": table.name, "path": path, "format": format.rawValue, "columns": Self.columnList(table)])
        return (answer["empty"] as? Bool ?? true, answer["ignored"] as? [String] ?? [])
    }

    /// Drops every table, so detection tests reuse one Spark session with nothing carried over.
    public func reset() throws {
        try request(["op": "reset"])
    }

    public func createTables(_ catalogue: SchemaCatalogue) throws {
        let tables = catalogue.tables.values.sorted { $0.name < $1.name }.map { ["name": $0.name, "columns": Self.columnList($0)] as [String: Any] }
        try request(["op": "create", "tables": tables])
    }

    public func insert(_ rows: [[String: EventValue]], into table: TableSchema) throws {
        let texts: [[Any]] = rows.map { row in
            table.columns.map { column -> Any in (row[column.name] ?? .null).text ?? NSNull() }
        }
        try request(["op": "insert", "table": table.name, "columns": Self.columnList(table), "rows": texts])
    }

    public func query(_ sql: String, types: [String: ColumnType]) throws -> (columns: [String], rows: [[ResultValue]]) {
        let answer = try request(["op": "query", "sql": sql])
        let columns = answer["columns"] as? [String] ?? []
        let rows = (answer["rows"] as? [[Any]] ?? []).map { row in
            zip(columns, row).map { column, value -> ResultValue in
                // Dynamic values the SQL keeps as JSON text come back as lists, as from SQLite.
                if let text = value as? String { return SQLiteEngine.textValue(text, types[column]) }
                return SQLiteEngine.resultValue(value)
            }
        }
        return (columns, rows)
    }

    static func line(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The end of Spark's log, for an error when it stops: usually the exception that stopped it.
    static func lastLines(of file: URL) -> String {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let useful = lines.last { $0.contains("Error") || $0.contains("Exception") } ?? lines.last ?? "no output"
        return String(useful.prefix(400))
    }
}

/// A TCP listener on 127.0.0.1, on a port the system picks.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SparkError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw SparkError("cannot listen on 127.0.0.1: \(reason)")
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { Glibc.close(descriptor) }

    /// The first connection, or nil once `alive` turns false before anyone connected.
    func accept(while alive: () -> Bool) throws -> LineConnection? {
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&waiting, 1, 200)
            if ready > 0 {
                let client = Glibc.accept(descriptor, nil, nil)
                guard client >= 0 else { throw SparkError("cannot accept Spark's connection: \(String(cString: strerror(errno)))") }
                return LineConnection(descriptor: client)
            }
            if ready < 0 && errno != EINTR { throw SparkError("cannot wait for Spark: \(String(cString: strerror(errno)))") }
            if !alive() { return nil }
        }
    }
}

/// Newline-delimited text over a socket.
final class LineConnection {
    private var descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close() }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    func writeLine(_ text: String) throws {
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SparkError("the Spark driver closed the connection") }
            sent += count
        }
    }

    /// The next line, or nil at the end of the stream.
    func readLine() throws -> String? {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
