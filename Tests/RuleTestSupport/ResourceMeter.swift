import Foundation

/// Runs rulepack and measures that one process: wall time and peak memory.
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`), which forks before it execs. A child
/// started from the test process with posix_spawn (vfork semantics) would carry the test
/// process's own memory high-water mark into its `maxrss`.
public enum ResourceMeter {
    public struct Measurement: Sendable {
        public var status: Int32
        public var seconds: Double
        /// Peak resident memory in bytes.
        public var peakBytes: Int
    }

    public static func run(_ arguments: [String]) throws -> Measurement {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-time-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let start = Date()
        let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/time"), ["-o", report.path, "-f", "%M", CommandRunner.binary.path] + arguments, in: Paths.root)
        let seconds = Date().timeIntervalSince(start)
        let lines = try String(contentsOf: report, encoding: .utf8).split(whereSeparator: \.isNewline)
        guard let last = lines.last, let kilobytes = Int(last.trimmingCharacters(in: .whitespaces)) else {
            throw TestFailure("no memory figure from /usr/bin/time: \(lines)")
        }
        return Measurement(status: result.status, seconds: seconds, peakBytes: kilobytes * 1024)
    }
}
