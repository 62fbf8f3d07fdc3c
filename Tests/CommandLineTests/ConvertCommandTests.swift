import Foundation
import RuleTestSupport
import Testing

/// The `rulepack convert` contract other issues build on: outputs, file names, stderr form and
/// exit statuses (0 all translated, 1 a rule failed, 2 usage or I/O error).
@Suite("rulepack convert")
struct ConvertCommandTests {
    init() {}

    func run(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(arguments)
    }

    @Test func oneRuleGoesToStdout() throws {
        let r = try run(["convert", "packs/syncromsp/rmm_SyncroMSP_createproc.yaml", "--to", "kql"])
        #expect(r.status == 0)
        #expect(r.stdout == (try String(contentsOf: Paths.golden.appendingPathComponent("rmm_SyncroMSP_createproc.kql"), encoding: .utf8)))
        #expect(r.stderr.isEmpty)
    }

    @Test("--out writes one file per rule named by its id", arguments: [("kql", "kql"), ("sql", "sql"), ("sigma", "yml")])
    func outFolder(target: String, fileExtension: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try run(["convert", "packs", "--to", target, "--out", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        // Sigma also gets the pySigma pipeline of the log sources rulepack invents.
        #expect(names == [
            "3510a677-6a63-45f5-a0cd-509c5b865e0e", "b9e378d6-850c-4b7d-9133-b4be3c7433eb", "d22805c7-d987-48d3-bb98-5e1d4bb053af",
        ].map { "\($0).\(fileExtension)" } + (target == "sigma" ? ["rulepack-pipeline.yaml"] : []))
        #expect(r.stdout.isEmpty)
    }

    @Test func aBrokenRuleFailsAndTheRunGoesOn() throws {
        let r = try run(["convert", "Tests/Fixtures/rules/invalid/kql-syntax.yaml", "packs/syncromsp/rmm_SyncroMSP_filesig.yaml", "--to", "sql"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Tests/Fixtures/rules/invalid/kql-syntax.yaml:6:3: error: KQL: expected an expression, found '|'"))
        #expect(r.stdout.contains(#"FROM "DeviceFileCertificateInfo""#))
        // The seed's filters cannot apply to the certificate table: each is reported at its line.
        #expect(r.stderr.contains("packs/syncromsp/rmm_SyncroMSP_filesig.yaml:26:13: warning: false-positive filter of 'System update via SyncroMSP' left out: DeviceFileCertificateInfo has no column for 'process.name'"))
    }

    @Test func unknownColumnIsAnErrorAtItsPosition() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-col-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rule.yaml")
        try "query: |\n  DeviceNetworkEvents\n  | summarize count() by DeviceId, AccountUpn\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try run(["convert", file.path, "--to", "sql"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("rule.yaml:3:36: error: column 'AccountUpn' does not exist here (did you mean 'InitiatingProcessAccountUpn'?)"))
    }

    @Test("usage errors exit 2", arguments: [
        ["convert", "packs", "--to", "splunk"],
        ["convert", "packs"],
        ["convert", "packs", "--to", "kql", "--dialect", "postgres"],
        ["convert", "no/such/path.yaml", "--to", "kql"],
        ["frobnicate"],
    ])
    func usage(arguments: [String]) throws {
        let r = try run(arguments)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    /// Every message about targets comes from the registry, with a "did you mean".
    @Test("target errors name the choices", arguments: [
        (["convert", "packs", "--to", "sqll"], "unknown target 'sqll' (did you mean 'sql'?); targets: kql, sql, sigma"),
        (["convert", "packs", "--to", "sql-sprk"], "unknown target 'sql-sprk' (did you mean 'sql-spark'?)"),
        (["convert", "packs", "--to", "sql", "--dialect", "postgress"], "unknown sql dialect 'postgress' (did you mean 'postgres'?); dialects: sqlite, postgres, duckdb, spark"),
        (["convert", "packs", "--to", "kql", "--dialect", "postgres"], "--dialect applies to --to sql only"),
        (["convert", "packs", "--to", "kql", "--now", "2026-11-29T12:00:00Z"], "--now applies to --to sql only"),
        (["convert", "packs", "--to", "sql", "--sigma-has", "contains"], "--sigma-has applies to --to sigma only"),
    ])
    func targetErrors(arguments: [String], message: String) throws {
        let r = try run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func listTargetsGivesTheRegistryAsJSON() throws {
        let r = try run(["convert", "--list-targets", "--format", "json"])
        #expect(r.status == 0)
        let targets = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(targets.compactMap { $0["name"] as? String } == ["kql", "sql-sqlite", "sql-postgres", "sql-duckdb", "sql-spark", "sigma", "sentinel-arm", "defender-xdr"])
        #expect(targets.compactMap { $0["goldenSuffix"] as? String } == ["kql", "sqlite.sql", "postgres.sql", "duckdb.sql", "spark.sql", "sigma.yml", "sentinel-arm.json", "defender-xdr.json"])
        #expect(targets.first { $0["name"] as? String == "sigma" }?["options"] as? [String] == ["date", "sigma-features", "sigma-has"])
    }

    @Test func listTargetsIsAnAlignedTableForPeople() throws {
        let r = try run(["convert", "--list-targets"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "TARGET        OPTIONS                              EXTENSION  SUMMARY")
        #expect(lines.contains("sql-postgres  --now                                .sql       PostgreSQL"))
        #expect(lines.count == 9)
    }

    @Test func aTargetsFullNameSelectsItsDialect() throws {
        let byName = try run(["convert", "packs/syncromsp/rmm_SyncroMSP_filesig.yaml", "--to", "sql-postgres"])
        let byDialect = try run(["convert", "packs/syncromsp/rmm_SyncroMSP_filesig.yaml", "--to", "sql", "--dialect", "postgres"])
        #expect(byName.status == 0 && byName.stdout == byDialect.stdout)
        #expect(byName.stdout.contains("(dialect: postgres)"))
        let both = try run(["convert", "packs", "--to", "sql-postgres", "--dialect", "duckdb"])
        #expect(both.status == 2 && both.stderr.contains("--to sql-postgres names its dialect; leave out --dialect"))
    }

    @Test func aSecondRuleWithTheSameIDDoesNotOverwriteTheFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-dup-\(UUID().uuidString)")
        let rules = folder.appendingPathComponent("rules"), out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "id: 11111111-1111-4111-8111-111111111111\nquery: |\n  DeviceProcessEvents | take 1\n".write(to: rules.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "id: 11111111-1111-4111-8111-111111111111\nquery: |\n  DeviceProcessEvents | take 2\n".write(to: rules.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let r = try run(["convert", rules.path, "--to", "kql", "--out", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("b.yaml:1:1: error: id 11111111-1111-4111-8111-111111111111 is also the id of"))
        let written = try String(contentsOf: out.appendingPathComponent("11111111-1111-4111-8111-111111111111.kql"), encoding: .utf8)
        #expect(written.contains("take 1"))
    }

    @Test func outputIsNotLeftHalfWritten() throws {
        // A file in the way of the output folder: an I/O error, exit 2, nothing partial left.
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-block-\(UUID().uuidString)")
        try "x".write(to: blocker, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let r = try run(["convert", "packs", "--to", "kql", "--out", blocker.path])
        #expect(r.status == 2)
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "x")
    }
}
