import Foundation
import RuleChecks
import RuleModel
import RuleReading
import RuleTestSupport
import RuleWriting
import Testing

/// Every input the fuzzers (scripts/fuzz) saved in Fuzz/Crashes, replayed through what the
/// fuzz targets run: the reader, every lint check, the writers, and the KQL round trip.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let inputs: [URL] = {
        let folder = Paths.root.appendingPathComponent("Fuzz/Crashes")
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if !url.hasDirectoryPath, url.lastPathComponent.hasPrefix("crash-") || url.lastPathComponent.hasPrefix("timeout-") || url.lastPathComponent.hasPrefix("oom-") {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }()

    @Test func thereAreSavedInputs() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test("replayed", arguments: inputs)
    func replay(input: URL) throws {
        let text = String(decoding: try Data(contentsOf: input), as: UTF8.self)
        // As a query (FuzzKQLReader).
        if let detection = try? KQLParser.parse(text) {
            #expect(try KQLParser.parse(KQLWriter.query(detection)) == detection)
        }
        // As a rule file (FuzzRuleReader).
        let file = LintFile(path: "fuzz.yaml", text: text)
        _ = Linter().lint([file])
        if let rule = file.read.rule {
            #expect(try KQLParser.parse(KQLWriter.query(rule.detection)) == rule.detection)
            _ = KQLWriter().write(rule)
            for dialect in [SQLDialect.sqlite, .postgres, .duckdb, .spark] { _ = try? SQLWriter(dialect: dialect).write(rule) }
            _ = try? SigmaWriter().write(rule)
        }
    }
}
