import Foundation

/// Runs the built rulepack binary, for tests of the command-line contract.
public enum CommandRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The rulepack binary built beside the test bundle.
    public static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("rulepack"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rulepack"),
            Paths.root.appendingPathComponent(".build/debug/rulepack"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    /// A process for `executable`, with NO_COLOR set so output is plain.
    static func process(_ executable: URL, _ arguments: [String], in directory: URL) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        return process
    }

    /// Starts rulepack without waiting, for tests that interrupt it.
    public static func start(_ arguments: [String], in directory: URL = Paths.root) throws -> Process {
        let process = process(binary, arguments, in: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    public static func run(_ arguments: [String], in directory: URL = Paths.root) throws -> Result {
        try run(binary, arguments, in: directory)
    }

    /// Runs any program, capturing its output.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL) throws -> Result {
        let process = process(executable, arguments, in: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes while the process runs, so a full pipe cannot stall it.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdout = Data(), stderr = Data()
        group.enter()
        DispatchQueue.global().async { stdout = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        stderr = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
