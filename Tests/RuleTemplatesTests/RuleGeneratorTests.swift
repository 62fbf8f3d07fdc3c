import Foundation
import RuleModel
import RuleReading
import RuleTemplates
import RuleTestSupport
import RuleWriting
import Testing

@Suite("rulepack new")
struct RuleGeneratorTests {
    struct Tool: Decodable {
        var tool: String
        var signers, companies, products, processes, domains: [String]

        var indicators: Indicators {
            var i = Indicators(tool: tool)
            i.signers = signers
            i.companies = companies
            i.products = products
            i.processes = processes
            i.domains = domains
            return i
        }
    }

    static let tools: [Tool] = {
        let url = Paths.fixtures.appendingPathComponent("new/tools.json")
        return (try? JSONDecoder().decode([Tool].self, from: Data(contentsOf: url))) ?? []
    }()

    static var generator: RuleGenerator {
        get throws { RuleGenerator(templates: try TemplateSet.load(Paths.root.appendingPathComponent("templates"))) }
    }

    @Test func syncroMSPFromItsIndicatorsDetectsWhatThePackDetects() throws {
        let tool = try #require(Self.tools.first { $0.tool == "SyncroMSP" })
        let rules = try Self.generator.generate(tool.indicators)
        #expect(rules.map(\.kind) == ["filesig", "createproc", "netconn"])
        for rule in rules {
            let generated = SentinelRuleReader().read(text: rule.text, path: rule.fileName)
            let pack = try readRule(Paths.packRule("rmm_SyncroMSP_\(rule.kind)"))
            let read = try #require(generated.rule)
            #expect(read.detection == pack.detection, "\(rule.kind)")
            #expect(read.metadata.name == pack.metadata.name)
            #expect(read.metadata.connectors == pack.metadata.connectors)
            #expect(read.metadata.tactics == pack.metadata.tactics && read.metadata.techniques == pack.metadata.techniques)
            #expect(read.metadata.id != pack.metadata.id)
        }
    }

    @Test("every fixture tool's rules read, lint clean and convert to every target", arguments: tools.map(\.tool))
    func fixtureTools(name: String) throws {
        let tool = try #require(Self.tools.first { $0.tool == name })
        let rules = try Self.generator.generate(tool.indicators)
        #expect(!rules.isEmpty)
        for generated in rules {
            let result = SentinelRuleReader().read(text: generated.text, path: generated.fileName)
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
            let rule = try #require(result.rule)
            #expect(rule.metadata.name == "Remote Management and Monitoring tool - \(tool.tool) - " + ["filesig": "File Signature", "createproc": "Create Process", "netconn": "Network Connection"][generated.kind]!)
            #expect(try KQLParser.parse(KQLText.query(rule.detection)) == rule.detection)
            for target in OutputTarget.all {
                _ = try target.write(rule, TargetOptions())
            }
        }
    }

    @Test func severalValuesBecomeHasAnyAndProcessesAnAlternative() throws {
        let tool = try #require(Self.tools.first { $0.tool == "AnyDesk" })
        let rules = try Self.generator.generate(tool.indicators)
        let createproc = try #require(rules.first { $0.kind == "createproc" })
        #expect(createproc.text.contains("| where (ProcessVersionInfoCompanyName has 'AnyDesk Software GmbH'\n      and ProcessVersionInfoProductName has 'AnyDesk')\n      or FileName in~ ('AnyDesk.exe')"))
        let filesig = try #require(rules.first { $0.kind == "filesig" })
        #expect(filesig.text.contains("| where Signer has_any ('philandro Software GmbH', 'AnyDesk Software GmbH')"))
    }

    @Test func valuesAreEscapedForKQLAndYAML() throws {
        let tool = try #require(Self.tools.first { $0.tool.hasPrefix("Ünïcödé") })
        let rules = try Self.generator.generate(tool.indicators)
        let filesig = try #require(rules.first { $0.kind == "filesig" })
        #expect(filesig.text.contains(#"| where Signer has 'O\'Brien "Remote" Ltd.'"#))
        let backslash = try #require(Self.tools.first { $0.tool.hasPrefix("Back") })
        let rule = try #require(try Self.generator.generate(backslash.indicators).first)
        #expect(rule.text.contains(#"name: 'Remote Management and Monitoring tool - Back\Slash: RMM - File Signature'"#))
        #expect(rule.text.contains(#"Signer has 'Back\\Slash, Inc.'"#))
    }

    @Test("bad input is refused", arguments: [
        (Indicators(tool: "  "), "the tool name is empty"),
        ({ var i = Indicators(tool: "X"); i.domains = ["evil'.com"]; return i }(), "is not a domain name"),
        (Indicators(tool: "X"), "no indicators"),
        ({ var i = Indicators(tool: "X"); i.signers = ["a\nb"]; return i }(), "control character"),
        ({ var i = Indicators(tool: "X"); i.signers = ["a"]; i.tactic = "Lurking"; return i }(), "not a Sentinel tactic"),
    ])
    func badInput(indicators: Indicators, message: String) throws {
        #expect {
            _ = try Self.generator.generate(indicators)
        } throws: { error in
            (error as? GenerationError)?.message.contains(message) == true
        }
    }
}
