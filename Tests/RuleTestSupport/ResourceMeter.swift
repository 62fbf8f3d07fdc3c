import Foundation

/// Runs rulepack and measures that one process: peak memory and CPU time, never wall time
/// (which measures the machine's load, not the code).
///
/// GNU time (`/usr/bin/time`) forks before it execs and reports its child's own figures; a
/// child started from the test process with posix_spawn (vfork semantics) would carry the
/// test process's memory high-water mark into its `maxrss`. `prlimit --cpu` is a watchdog:
/// a process that loses its bound (say, walks an alias bomb) is killed after that much CPU
/// time instead of hanging the suite, and the test sees the signal.
public enum ResourceMeter {
    public struct Measurement: Sendable {
        /// The exit status, or 128 + the signal that ended the process.
        public var status: Int32
        /// Peak resident memory in bytes.
        public var peakBytes: Int
        /// User plus system CPU time, in seconds (1/100 s resolution).
        public var cpuSeconds: Double
        public var stdout: String
        public var stderr: String
    }

    /// CPU seconds after which the watchdog ends the process: hundreds of times what any
    /// hostile input takes with its bound in place.
    public static let watchdogCPUSeconds = 30

    public static func run(_ arguments: [String], in directory: URL = Paths.root) throws -> Measurement {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-time-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let result = try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/time"),
            ["-o", report.path, "-f", "%x %M %U %S", "prlimit", "--cpu=\(watchdogCPUSeconds)", CommandRunner.binary.path] + arguments,
            in: directory
        )
        let lines = try String(contentsOf: report, encoding: .utf8).split(whereSeparator: \.isNewline)
        let fields = lines.last?.split(separator: " ") ?? []
        guard fields.count == 4, let kilobytes = Int(fields[1]), let user = Double(fields[2]), let system = Double(fields[3]) else {
            throw TestFailure("no figures from /usr/bin/time: \(lines)")
        }
        // GNU time's %x is the exit status, or -1 with "Command terminated by signal N" above it.
        var status = Int32(fields[0]) ?? -1
        if let signal = lines.first(where: { $0.hasPrefix("Command terminated by signal ") })?.split(separator: " ").last.flatMap({ Int32($0) }) {
            status = 128 + signal
        }
        return Measurement(status: status, peakBytes: kilobytes * 1024, cpuSeconds: user + system, stdout: result.stdout, stderr: result.stderr)
    }
}
