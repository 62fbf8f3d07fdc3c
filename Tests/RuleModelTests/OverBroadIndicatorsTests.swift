import Foundation
import RuleModel
import Testing

@Suite("Over-broad indicators")
struct OverBroadIndicatorsTests {
    let list = OverBroadIndicators.bundled

    @Test("a shared platform, a wildcard over it and a bare TLD are over-broad", arguments: [
        "amazonaws.com", "*.amazonaws.com", ".AmazonAWS.com", "github.com", "*.blob.core.windows.net", "com", "*.com", "co.uk", "duckdns.org", "",
    ])
    func broadDomains(needle: String) {
        #expect(list.reason(forDomain: needle) != nil)
    }

    @Test("a specific host on a shared platform, and a vendor's domain, are not", arguments: [
        "packagesstore.blob.core.windows.net", "atera.pubnubapi.com", "syncromsp.com", "*.syncromsp.com", "kabuto.io",
    ])
    func specificDomains(needle: String) {
        #expect(list.reason(forDomain: needle) == nil)
    }

    @Test func fileNamesAndPathsEndingInThem() {
        #expect(list.reason(forFileName: "Setup.exe") == "the default name of countless installers")
        #expect(list.reason(forFileName: #"C:\Program Files\Vendor\agent.exe"#) != nil)
        #expect(list.reason(forFileName: "Syncro.Service.exe") == nil)
    }

    @Test func signersOfBundledSoftware() {
        #expect(list.reason(forSigner: "microsoft corporation") != nil)
        #expect(list.reason(forSigner: "Servably Inc.") == nil)
    }

    /// Every line of the shipped list is read: a malformed line would silently drop an entry.
    @Test func everyLineOfTheListIsRead() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Sources/RuleModel/Resources/over-broad-indicators.tsv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).dropFirst()
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(fields.count == 3 && OverBroadIndicators.Kind(rawValue: String(fields[0])) != nil && !fields[2].isEmpty, "\(line)")
        }
        #expect(lines.count > 100)
    }
}
