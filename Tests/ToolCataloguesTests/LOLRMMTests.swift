import Foundation
import RuleModel
import RuleTemplates
import RuleTestSupport
import Testing
@testable import ToolCatalogues

@Suite("LOLRMM catalogue")
struct LOLRMMTests {
    static let fixtures = Paths.fixtures.appendingPathComponent("lolrmm/yaml")

    func tool(_ name: String) throws -> LOLRMMTool {
        try LOLRMMTool.read(fileAt: Self.fixtures.appendingPathComponent(name).path)
    }

    @Test func indicatorsAreReadWhereverTheFileKeepsThem() throws {
        let syncro = try tool("syncro.yaml")
        #expect(syncro.key == "syncro")
        #expect(syncro.date == "2026-05-12")
        #expect(syncro.signers.map(\.text) == ["Servably Inc."])
        // Trimmed: the file has a trailing space.
        #expect(syncro.companies.map(\.text) == ["Servably, Inc."])
        #expect(syncro.fileNames.map(\.text) == ["Syncro.Service.exe", "Syncro.Overmind.Service.exe", "SyncroLive.Agent.exe", "setup.exe"])
        #expect(syncro.domains.first == LOLRMMTool.Value(text: "syncromsp.com", position: SourcePosition(line: 32, column: 15), file: Self.fixtures.appendingPathComponent("syncro.yaml").path))
        // PEMetadata as a list, with an empty item.
        let ratbox = try tool("ratbox.yaml")
        #expect(ratbox.fileNames.map(\.text) == ["ratbox.exe", "RatBox.exe", "ratbox.exe"])
        #expect(ratbox.products.map(\.text) == ["RatBox"])
        #expect(ratbox.category == "RAT")
    }

    @Test func aFileThatIsNotAToolIsAnErrorAtItsPlace() {
        let error = #expect(throws: TextError.self) { try tool("broken.yaml") }
        #expect(error?.position == SourcePosition(line: 5, column: 1))
    }

    @Test("domains", arguments: [
        ("example.com", LOLRMMIndicators.DomainClass.host(.exact("example.com"))),
        ("*.Example.com", .host(.withSubdomains("example.com"))),
        ("user_managed", .skipped("a placeholder, not a domain")),
        ("<tenant>.example.com", .skipped("a placeholder, not a domain")),
        ("198.51.100.7", .skipped("an IP address; the network rule matches host names in RemoteUrl")),
        ("relay-[a-f0-9]{8}.example.com:443", .skipped("it holds a port or a pattern, which no host test states exactly")),
        ("plus*.example.com", .skipped("a wildcard inside or between labels, which no host test states exactly")),
        ("rescue.*.example.com", .skipped("a wildcard inside or between labels, which no host test states exactly")),
        ("*.-dms.example.com", .skipped("not a domain name")),
        ("localhost", .skipped("not a domain name")),
    ])
    func domains(value: String, expected: LOLRMMIndicators.DomainClass) {
        #expect(LOLRMMIndicators.classify(value) == expected)
    }

    @Test func theMappingLeavesOutWhatItCannotStateExactlyAndSaysWhere() throws {
        let mapping = LOLRMMIndicators.map(try tool("syncro.yaml"))
        let i = mapping.indicators
        #expect(i.signers == ["Servably Inc."])
        #expect(i.companies == ["Servably, Inc."])
        #expect(i.processes == ["Syncro.Service.exe", "Syncro.Overmind.Service.exe", "SyncroLive.Agent.exe"])
        // syncromsp.com is covered by *.syncromsp.com.
        #expect(i.hosts == [.withSubdomains("syncromsp.com"), .withSubdomains("syncroapi.com"), .exact("servably.com"), .exact("attachments.servably.com")])
        #expect(i.severity == "Medium" && i.tactic == "CommandAndControl" && i.technique == "T1219" && i.date == "2026-05-12")
        #expect(mapping.leftOut.map { "\($0.position.line):\($0.position.column): \($0.message)" } == [
            "27:11: file name 'setup.exe' left out: over-broad (the default name of countless installers)",
            "37:15: domain 'user_managed' left out: a placeholder, not a domain",
            "38:15: domain '<tenant>.syncromsp.com' left out: a placeholder, not a domain",
            "39:15: domain '198.51.100.7' left out: an IP address; the network rule matches host names in RemoteUrl",
            "40:15: domain 'plus*.syncro-cdn.com' left out: a wildcard inside or between labels, which no host test states exactly",
            "41:15: domain 'github.com' left out: over-broad (GitHub: every developer and many installers reach it)",
        ])
        #expect(LOLRMMIndicators.map(try tool("ratbox.yaml")).indicators.severity == "High")
        #expect(!LOLRMMIndicators.map(try tool("nothing.yaml")).isUsable)
    }

    @Test func aToolDescribedTwiceIsOneToolAndSharedValuesAreLeftOut() throws {
        var twin = try tool("ratbox.yaml")
        twin.key = "ratbox_(copy)"
        twin.domains = [LOLRMMTool.Value(text: "*.ratbox-mirror.example", position: SourcePosition(line: 3, column: 5), file: "ratbox_(copy).yaml")]
        let merged = try tool("ratbox.yaml").merging(twin)
        #expect(merged.domains.map(\.text) == ["*.ratbox.example", "ratbox.example", "relay-[a-f0-9]{8}.ratbox.example:443", "*.ratbox-mirror.example"])
        // Another tool that also lists ratbox.exe: the name is specific to neither.
        var other = try tool("ratbox.yaml")
        other.name = "Other Remote"
        other.domains = []
        let shared = LOLRMMIndicators.SharedValues([try tool("ratbox.yaml"), other])
        let mapping = LOLRMMIndicators.map(try tool("ratbox.yaml"), shared: shared)
        #expect(mapping.indicators.processes.isEmpty)
        #expect(mapping.leftOut.contains { $0.message == "file name 'ratbox.exe' left out: also listed for other remote in the catalogue, so not specific to RatBox" })
        #expect(mapping.indicators.hosts == [.withSubdomains("ratbox.example")])
    }

    @Test("a host matches itself, its URLs and (with subdomains) below it, never a look-alike", arguments: [
        ("example.com", true), ("EXAMPLE.com", true), ("https://example.com/x", true), ("example.com:443", true),
        ("http://example.com:8080/a", true), ("example.com/path", true), ("https://example.com", true),
        ("agent.example.com", false), ("example.com.evil.net", false), ("xexample.com", false), ("https://example.com.evil.net/", false),
    ])
    func hostMatching(url: String, exact: Bool) {
        #expect(HostPattern.exact("example.com").matches(url) == exact)
        let below = url.lowercased().contains("agent.example.com")
        #expect(HostPattern.withSubdomains("example.com").matches(url) == (exact || below))
    }
}
