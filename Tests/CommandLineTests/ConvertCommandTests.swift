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

/// `convert --to all` and lists: one read of the pack, a folder per target holding exactly
/// what each single-target run writes, each folder replaced as a whole.
@Suite("rulepack convert to several targets")
struct MultiTargetConvertTests {
    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rulepack-multi-\(UUID().uuidString)")
    }

    @Test func allWritesEveryTargetIntoItsFolderAsTheGoldensSay() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "all", "--out", folder.path, "--date", "2026-11-29"])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try CommandRunner.run(["convert", "--list-targets", "--format", "json"])
        let targets = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        let folders = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(folders == targets.compactMap { $0["name"] as? String }.sorted(), "no staging folder is left behind")
        let ids = ["rmm_SyncroMSP_createproc": "d22805c7-d987-48d3-bb98-5e1d4bb053af", "rmm_SyncroMSP_filesig": "3510a677-6a63-45f5-a0cd-509c5b865e0e",
                   "rmm_SyncroMSP_netconn": "b9e378d6-850c-4b7d-9133-b4be3c7433eb"]
        for target in targets {
            let name = try #require(target["name"] as? String), suffix = try #require(target["goldenSuffix"] as? String)
            let fileExtension = try #require(target["fileExtension"] as? String)
            for (rule, id) in ids {
                let written = try String(contentsOf: folder.appendingPathComponent("\(name)/\(id).\(fileExtension)"), encoding: .utf8)
                let golden = try String(contentsOf: Paths.golden.appendingPathComponent("\(rule).\(suffix)"), encoding: .utf8)
                #expect(written == golden, "\(name) of \(rule)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sigma/rulepack-pipeline.yaml").path))
        // A warning every target gives is said once, unlabelled; one only some give names them.
        let fpWarning = "rmm_SyncroMSP_filesig.yaml:26:13: warning: false-positive filter of 'System update via SyncroMSP' left out"
        #expect(r.stderr.components(separatedBy: fpWarning).count == 2, "\(r.stderr)")
        #expect(r.stderr.contains("rmm_SyncroMSP_createproc.yaml:13:1: note: sentinel-arm: a hunting query (no kind)"))
    }

    @Test func aTargetFolderIsReplacedAsAWholeAndOthersAreLeftAlone() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let kql = folder.appendingPathComponent("kql"), mine = folder.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: kql, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("a rule since removed".utf8).write(to: kql.appendingPathComponent("removed-rule.kql"))
        try Data("mine".utf8).write(to: mine.appendingPathComponent("keep.txt"))
        let r = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "kql,sql", "--dialect", "postgres,spark", "--out", folder.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["kql", "notes", "sql-postgres", "sql-spark"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: kql.path).count == 3, "the removed rule's file went with the old folder")
        #expect(try String(contentsOf: mine.appendingPathComponent("keep.txt"), encoding: .utf8) == "mine")
    }

    /// A rule whose id is too long for a file name fails the write of its target's folder
    /// (even for root); the folder written before stays as it was, and nothing is left beside it.
    @Test func aFolderThatCannotBeWrittenLeavesTheOldOneWhole() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pack = folder.appendingPathComponent("pack"), out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let rule = try String(contentsOf: Paths.packRule("rmm_SyncroMSP_netconn"), encoding: .utf8)
        try Data(rule.utf8).write(to: pack.appendingPathComponent("a.yaml"))
        let r1 = try CommandRunner.run(["convert", pack.path, "--to", "kql,sql", "--out", out.path])
        #expect(r1.status == 0, "\(r1.stderr)")
        let before = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("kql").path)
        let longID = String(repeating: "a", count: 300)
        try Data(rule.replacingOccurrences(of: "b9e378d6-850c-4b7d-9133-b4be3c7433eb", with: longID).utf8).write(to: pack.appendingPathComponent("b.yaml"))
        let r2 = try CommandRunner.run(["convert", pack.path, "--to", "kql,sql", "--out", out.path])
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("\(out.path)/kql:1:1: error: cannot write: cannot write \(out.path)/.kql.rulepack-new-"), "\(r2.stderr)")
        #expect(r2.stderr.contains("\(longID).kql: File name too long"), "\(r2.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("kql").path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["kql", "sql-sqlite"], "no staging folder is left")
    }

    @Test func idsThatMakeTheSameFileNameAreRefused() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let rule = try String(contentsOf: Paths.packRule("rmm_SyncroMSP_netconn"), encoding: .utf8)
        try Data(rule.replacingOccurrences(of: "b9e378d6-850c-4b7d-9133-b4be3c7433eb", with: "tool/1").utf8).write(to: pack.appendingPathComponent("a.yaml"))
        try Data(rule.replacingOccurrences(of: "b9e378d6-850c-4b7d-9133-b4be3c7433eb", with: "TOOL_1").utf8).write(to: pack.appendingPathComponent("b.yaml"))
        let r = try CommandRunner.run(["convert", pack.path, "--to", "kql", "--out", folder.appendingPathComponent("out").path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("b.yaml:1:1: error: id TOOL_1 makes the same file name as tool/1 of \(pack.path)/a.yaml; not written, so that translation is kept"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path) == ["tool_1.kql"])
    }

    @Test func severalTargetsNeedAFolder() throws {
        let r = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "kql,sigma"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--to kql,sigma writes 2 targets, each into its own folder: give --out DIR"), "\(r.stderr)")
        let dialect = try CommandRunner.run(["convert", "packs/syncromsp", "--to", "kql", "--dialect", "spark"])
        #expect(dialect.status == 2)
        #expect(dialect.stderr.contains("--dialect applies to --to sql only"))
    }
}
