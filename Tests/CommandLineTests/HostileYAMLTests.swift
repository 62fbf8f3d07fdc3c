import Foundation
import RuleTestSupport
import Testing

/// Hostile YAML is refused with a clear error within a second and well under 100 MB, whichever
/// command reads it. The bounds are asserted on the child process itself.
@Suite("Hostile YAML")
struct HostileYAMLTests {
    static let oneSecond = 1.0
    static let memory = 100 << 20

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

    func expectBounded(_ arguments: [String], _ message: String, in url: URL) throws {
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let measured = try ResourceMeter.run(arguments)
        #expect(measured.status == 1 || measured.status == 2, "status \(measured.status)")
        #expect(measured.seconds < Self.oneSecond, "\(measured.seconds) s")
        #expect(measured.peakBytes < Self.memory, "\(measured.peakBytes / 1_048_576) MB")
        let r = try CommandRunner.run(arguments)
        #expect(r.stderr.contains(message) || r.stdout.contains(message), "\(r.stderr)\(r.stdout)")
    }

    @Test("an alias bomb", arguments: ["convert", "lint"])
    func aliasBomb(command: String) throws {
        let url = try file("bomb.yaml", Self.billionLaughs)
        try expectBounded(command == "convert" ? ["convert", url.path, "--to", "kql"] : ["lint", url.path], "an alias bomb?", in: url)
    }

    @Test func anAliasBombAsAManifest() throws {
        let url = try file("rulepack.yaml", Self.billionLaughs.replacingOccurrences(of: "tactics: *a9", with: "packs: *a9"))
        try expectBounded(["sync", "--manifest", url.path], "an alias bomb?", in: url)
    }

    @Test func deepNesting() throws {
        let url = try file("deep.yaml", "tactics: " + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "\nquery: |\n  T\n")
        try expectBounded(["convert", url.path, "--to", "kql"], "Maximum nesting level reached", in: url)
    }

    @Test func aHugeFileIsNotRead() throws {
        let url = try file("huge.yaml", "query: |\n  DeviceProcessEvents\n" + String(repeating: "  // padding padding padding padding padding padding padding padding\n", count: 800_000))
        try expectBounded(["lint", url.path], "rulepack reads YAML files of at most 1048576 bytes", in: url)
    }

    @Test func aHugeScalarWithinTheLimitIsReadQuickly() throws {
        let url = try file("scalar.yaml", "id: 00000000-0000-4000-8000-000000000000\nname: Big\nquery: |\n  DeviceProcessEvents\n  | where FileName has '" + String(repeating: "x", count: 900_000) + "'\n")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let measured = try ResourceMeter.run(["convert", url.path, "--to", "sql"])
        #expect(measured.status == 0)
        #expect(measured.seconds < Self.oneSecond, "\(measured.seconds) s")
        #expect(measured.peakBytes < Self.memory, "\(measured.peakBytes / 1_048_576) MB")
    }
}
