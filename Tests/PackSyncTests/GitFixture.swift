import Foundation
import RuleTestSupport

/// A git repository and a project that syncs from it, in a temporary folder, built with the
/// git command-line tool.
final class GitFixture {
    let folder: URL
    let upstream: URL
    let project: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-sync-\(UUID().uuidString)")
        upstream = folder.appendingPathComponent("upstream")
        project = folder.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: upstream, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.email", "test@example.com")
        try git("config", "user.name", "Test")
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let result = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/git"), arguments, in: upstream)
        guard result.status == 0 else { throw TestFailure("git \(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A small rule file with the given id.
    static func rule(id: String, name: String = "Rule") -> String {
        "id: \(id)\nname: \(name)\ndescription: A rule.\nquery: |\n  DeviceProcessEvents\n  | where FileName =~ 'x.exe'\n"
    }

    func write(_ path: String, _ text: String) throws {
        let url = upstream.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: upstream.appendingPathComponent(path))
    }

    /// Commits everything and returns the commit id.
    @discardableResult
    func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    func manifest(ref: String = "main", include: [String] = ["RMM/**/*.yaml"], source: String = "../upstream", extra: String = "") throws {
        let patterns = include.map { "\"\($0)\"" }.joined(separator: ", ")
        try "packs:\n  - name: rmm\n    source: \(source)\n    ref: \(ref)\n    include: [\(patterns)]\n    into: packs/rmm\n\(extra)".write(to: project.appendingPathComponent("rulepack.yaml"), atomically: true, encoding: .utf8)
    }

    func sync(_ arguments: String...) throws -> CommandRunner.Result {
        try CommandRunner.run(["sync", "--no-lint"] + arguments, in: project)
    }

    var packFiles: [String] {
        let root = project.appendingPathComponent("packs/rmm")
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return (enumerator.allObjects as? [String] ?? []).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    func packText(_ path: String) throws -> String {
        try String(contentsOf: project.appendingPathComponent("packs/rmm").appendingPathComponent(path), encoding: .utf8)
    }

    var lock: String { (try? String(contentsOf: project.appendingPathComponent("rulepack.lock"), encoding: .utf8)) ?? "" }
}
