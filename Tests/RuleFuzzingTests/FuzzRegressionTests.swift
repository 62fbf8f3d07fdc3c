import Foundation
import RuleFuzzing
import RuleTestSupport
import Testing

/// Every input the fuzzers (scripts/fuzz) saved in Fuzz/Crashes, replayed through the same
/// checks the fuzz targets run (FuzzProperties).
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
        #expect(FuzzProperties.checkQuery(text) == nil)
        #expect(FuzzProperties.checkRuleFile(text) == nil)
    }
}
