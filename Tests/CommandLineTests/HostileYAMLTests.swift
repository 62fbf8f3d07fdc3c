import Foundation
import RuleTestSupport
import Testing

/// Hostile YAML is refused with a clear error and a usage/input exit status, whichever command
/// reads it; nothing is written; and the process stays far below 100 MB. No test here reads a
/// clock: a CPU-time watchdog (ResourceMeter) turns a lost bound into a killed process, and the
/// one complexity guard compares two input sizes in one run. Time figures are in `make bench`.
@Suite("Hostile YAML")
struct HostileYAMLTests {
    static let memory = 100 << 20

    /// A fresh folder holding `text` as `name`.
    func file(_ name: String, _ text: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Ten levels of ten aliases each: 10^10 nodes once expanded.
    static let billionLaughs: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...9 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]") }
        return (lines + ["tactics: *a9", "query: |", "  DeviceProcessEvents | take 1"]).joined(separator: "\n") + "\n"
    }()

    /// The command a hostile rule file goes through: convert into an output folder, or lint
    /// with --fix (which would rewrite the file).
    static func arguments(_ command: String, _ url: URL) -> [String] {
        command == "convert"
            ? ["convert", url.path, "--to", "kql", "--out", url.deletingLastPathComponent().appendingPathComponent("out").path]
            : ["lint", "--fix", url.path]
    }

    /// Runs `arguments` with `url`'s folder as the working folder, expects the refusal, and that
    /// the folder holds exactly what it held before, byte for byte.
    func expectRefused(_ arguments: [String], _ message: String, in url: URL) throws {
        let folder = url.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.snapshot(folder)
        let measured = try ResourceMeter.run(arguments, in: folder)
        #expect(measured.status == 1 || measured.status == 2, "status \(measured.status): \(measured.stderr.suffix(500))")
        #expect(measured.peakBytes < Self.memory, "\(measured.peakBytes / 1_048_576) MB")
        #expect(measured.stderr.contains(message) || measured.stdout.contains(message), "\(measured.stderr.suffix(500))\(measured.stdout.suffix(500))")
        #expect(try Self.snapshot(folder) == before, "the command wrote into \(folder.path)")
    }

    /// Every path below `folder` (dot-folders such as a sync's process lock aside) with its bytes.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let paths = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for path in paths where !path.hasPrefix(".") {
            files[path] = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) ?? Data()
        }
        return files
    }

    @Test("an alias bomb", arguments: ["convert", "lint"])
    func aliasBomb(command: String) throws {
        let url = try file("bomb.yaml", Self.billionLaughs)
        try expectRefused(Self.arguments(command, url), "an alias bomb?", in: url)
    }

    @Test func anAliasBombAsAManifest() throws {
        let url = try file("rulepack.yaml", Self.billionLaughs.replacingOccurrences(of: "tactics: *a9", with: "packs: *a9"))
        try expectRefused(["sync", "--manifest", url.path], "an alias bomb?", in: url)
    }

    @Test func anAliasBombAsALockFile() throws {
        let manifest = try file("rulepack.yaml", "packs:\n  - name: a\n    source: ./nowhere\n")
        let lock = manifest.deletingLastPathComponent().appendingPathComponent("rulepack.lock")
        try Self.billionLaughs.replacingOccurrences(of: "tactics: *a9", with: "packs: *a9").write(to: lock, atomically: true, encoding: .utf8)
        try expectRefused(["sync", "--manifest", manifest.path], "an alias bomb?", in: manifest)
    }

    @Test("deep nesting", arguments: ["convert", "lint"])
    func deepNesting(command: String) throws {
        let url = try file("deep.yaml", "tactics: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\nquery: |\n  T\n")
        try expectRefused(Self.arguments(command, url), "Maximum nesting level reached", in: url)
    }

    static let hugeFile = "query: |\n  DeviceProcessEvents\n" + String(repeating: "  // padding padding padding padding padding padding padding padding\n", count: 800_000)

    @Test("a huge file is not read", arguments: ["convert", "lint"])
    func aHugeFileIsNotRead(command: String) throws {
        let url = try file("huge.yaml", Self.hugeFile)
        try expectRefused(Self.arguments(command, url), "rulepack reads YAML files of at most 1048576 bytes", in: url)
    }

    @Test func aHugeLockFileIsNotRead() throws {
        let manifest = try file("rulepack.yaml", "packs:\n  - name: a\n    source: ./nowhere\n")
        let lock = manifest.deletingLastPathComponent().appendingPathComponent("rulepack.lock")
        try ("packs: []\n" + Self.hugeFile.replacingOccurrences(of: "  //", with: "#")).write(to: lock, atomically: true, encoding: .utf8)
        try expectRefused(["sync", "--manifest", manifest.path], "rulepack reads YAML files of at most 1048576 bytes", in: manifest)
    }

    static func scalarRule(_ length: Int) -> String {
        "id: 00000000-0000-4000-8000-000000000000\nname: Big\nquery: |\n  DeviceProcessEvents\n  | where FileName has '" + String(repeating: "x", count: length) + "'\n"
    }

    /// A 900 KB scalar (within the size bound) is translated, in memory far below the bound,
    /// and in CPU time that grows linearly: above the cost of a tiny rule, 900 KB takes at most
    /// 30 times what 90 KB takes (about 10 times when linear, 100 times when quadratic).
    @Test func aHugeScalarWithinTheLimitIsReadInLinearTime() throws {
        var cost: [Int: Double] = [:]
        for length in [0, 90_000, 900_000] {
            let url = try file("scalar.yaml", Self.scalarRule(length))
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            // The least of three runs: CPU time too varies a little with what else runs.
            var runs: [Double] = []
            for _ in 0..<3 {
                let measured = try ResourceMeter.run(["convert", url.path, "--to", "sql"])
                #expect(measured.status == 0, "\(measured.stderr.suffix(500))")
                #expect(measured.peakBytes < Self.memory, "\(measured.peakBytes / 1_048_576) MB")
                runs.append(measured.cpuSeconds)
            }
            cost[length] = runs.min() ?? 0
        }
        let small = max((cost[90_000] ?? 0) - (cost[0] ?? 0), 0.01)
        let large = (cost[900_000] ?? 0) - (cost[0] ?? 0)
        #expect(large <= 30 * small, "CPU seconds: tiny \(cost[0] ?? 0), 90 KB \(cost[90_000] ?? 0), 900 KB \(cost[900_000] ?? 0)")
    }
}
