import Foundation
import RuleChecks
import RuleModel
import RuleTesting
import Yams

/// What a researcher knows about an RMM tool.
public struct Indicators: Sendable {
    public var tool: String
    public var signers: [String] = []
    public var companies: [String] = []
    public var products: [String] = []
    public var processes: [String] = []
    public var domains: [String] = []
    /// Hosts matched exactly in RemoteUrl (with or without subdomains), as catalogues such as
    /// LOLRMM list them; `domains` are matched as KQL terms (`has`), as `new --domain` does.
    public var hosts: [HostPattern] = []
    public var tactic = "CommandAndControl"
    public var technique = "T1219"
    /// The look-back window, as a KQL timespan.
    public var window = "5d"
    /// Over-broad indicators kept on purpose (written to the rules' `x-keepIndicators`).
    public var keep: [String] = []
    /// Informational, Low, Medium or High; none when nil.
    public var severity: String?
    /// The rules' `x-date` (`YYYY-MM-DD`); none when nil.
    public var date: String?
    /// Rule ids are name-based UUIDs in this namespace (a UUID) from `key` and the rule kind,
    /// so the same tool gives the same ids every time; nil gives fresh random ids (`rulepack new`).
    public var idNamespace: String?
    /// The tool's stable key for ids (a catalogue's file stem); the tool name when nil.
    public var key: String?

    public init(tool: String) {
        self.tool = tool
    }
}

/// One rule written from a template.
public struct GeneratedRule: Sendable {
    public var kind: String
    public var id: String
    public var fileName: String
    public var text: String
    /// Its detection tests (`*.tests.yaml`): a true positive and a near miss per indicator.
    public var tests = ""
    public var testsFileName: String { "tests/" + (fileName as NSString).deletingPathExtension + RuleTestFile.suffix }
}

/// Writes rules for a tool from its indicators through the templates, and checks each one reads
/// and lints clean before any is returned.
public struct RuleGenerator: Sendable {
    public var templates: TemplateSet

    public init(templates: TemplateSet) {
        self.templates = templates
    }

    static let kindNames = ["filesig": "File Signature", "createproc": "Create Process", "netconn": "Network Connection"]

    /// The indicators without the over-broad ones (shared infrastructure, generic names), unless
    /// kept on purpose, and one line per indicator left out.
    public static func withoutOverBroad(_ indicators: Indicators) -> (indicators: Indicators, leftOut: [String]) {
        let list = OverBroadIndicators.bundled
        let kept = Set(indicators.keep.map { $0.lowercased() })
        var leftOut: [String] = []
        func filter(_ values: [String], _ option: String, _ reason: (String) -> String?) -> [String] {
            values.filter { value in
                guard !kept.contains(value.lowercased()), let why = reason(value) else { return true }
                leftOut.append("left out \(option) '\(value)': it is over-broad (\(why)); keep it with --keep-indicator '\(value)'")
                return false
            }
        }
        var result = indicators
        result.signers = filter(indicators.signers, "--signer", list.reason(forSigner:))
        result.companies = filter(indicators.companies, "--company", list.reason(forSigner:))
        result.processes = filter(indicators.processes, "--process", list.reason(forFileName:))
        result.domains = filter(indicators.domains, "--domain", list.reason(forDomain:))
        return (result, leftOut)
    }

    public func generate(_ indicators: Indicators) throws(GenerationError) -> [GeneratedRule] {
        try Self.validate(indicators)
        let tool = indicators.tool.trimmingCharacters(in: .whitespaces)
        let slug = String(tool.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        var kinds: [String] = []
        if !indicators.signers.isEmpty { kinds.append("filesig") }
        if !(indicators.companies.isEmpty && indicators.products.isEmpty && indicators.processes.isEmpty) { kinds.append("createproc") }
        if !indicators.domains.isEmpty || !indicators.hosts.isEmpty { kinds.append("netconn") }

        var rules: [GeneratedRule] = []
        for kind in kinds {
            guard let template = templates.template(kind) else {
                throw GenerationError("the templates folder \(templates.folder.path) has no \(kind)\(TemplateSet.suffix)")
            }
            let name = "Remote Management and Monitoring tool - \(tool) - \(Self.kindNames[kind] ?? kind)"
            let id = indicators.idNamespace.map { NameBasedUUID.make(namespace: $0, name: "\(indicators.key ?? tool)/\(kind)") } ?? UUID().uuidString.lowercased()
            var context: [String: Any] = [
                "id": id,
                "name": try Self.yamlScalar(name),
                "tactic": indicators.tactic,
                "technique": indicators.technique,
                "window": indicators.window,
                "descriptionLine": Self.description(kind, tool: tool, indicators),
            ]
            if !indicators.keep.isEmpty {
                context["hasKeptIndicators"] = true
                context["keptIndicators"] = try indicators.keep.map { value throws(GenerationError) in try Self.yamlScalar(value) }
            }
            if !indicators.signers.isEmpty { context["signerTest"] = Self.termTest(indicators.signers) }
            if !indicators.companies.isEmpty { context["companyTest"] = Self.termTest(indicators.companies) }
            if !indicators.products.isEmpty { context["productTest"] = Self.termTest(indicators.products) }
            if !indicators.processes.isEmpty {
                context["processTest"] = "in~ (" + indicators.processes.map(KQLText.stringLiteral).joined(separator: ", ") + ")"
            }
            if !indicators.domains.isEmpty { context["domainTest"] = Self.termTest(indicators.domains) }
            context["domainPredicate"] = indicators.hosts.isEmpty
                ? "RemoteUrl " + Self.termTest(indicators.domains)
                : HostPattern.predicate(indicators.hosts)
            if let severity = indicators.severity { context["severity"] = severity }
            if let date = indicators.date { context["date"] = date }
            let versionInfo = !indicators.companies.isEmpty || !indicators.products.isEmpty
            context["companyAndProduct"] = !indicators.companies.isEmpty && !indicators.products.isEmpty
            context["versionInfoOrProcess"] = versionInfo && !indicators.processes.isEmpty
            let text = template.template.render(context)
            let fileName = "rmm_\(slug)_\(kind).yaml"
            try Self.check(text, fileName: fileName)
            var rule = GeneratedRule(kind: kind, id: id, fileName: fileName, text: text)
            rule.tests = try RuleTestGenerator.tests(for: rule, ruleID: id, indicators)
            try RuleTestGenerator.verify(rule.tests, rule: rule)
            rules.append(rule)
        }
        return rules
    }

    /// `has 'x'`, or `has_any ('x', 'y')` for several values; literals from the KQL writer.
    static func termTest(_ values: [String]) -> String {
        values.count == 1
            ? "has " + KQLText.stringLiteral(values[0])
            : "has_any (" + values.map(KQLText.stringLiteral).joined(separator: ", ") + ")"
    }

    static func description(_ kind: String, tool: String, _ i: Indicators) -> String {
        let text: String = switch kind {
        case "filesig": "This rule finds files of \(tool) by their code-signing signer (\(i.signers.joined(separator: "; ")))."
        case "createproc": "This rule finds processes of \(tool) by " + [
            i.companies.isEmpty ? nil : "company (\(i.companies.joined(separator: "; ")))",
            i.products.isEmpty ? nil : "product (\(i.products.joined(separator: "; ")))",
            i.processes.isEmpty ? nil : "file name (\(i.processes.joined(separator: "; ")))",
        ].compactMap { $0 }.joined(separator: ", ") + "."
        default: "This rule finds connections to the domains of \(tool) (\((i.domains + i.hosts.map(\.written)).joined(separator: "; ")))" + (i.companies.isEmpty ? "." : " by processes of its company.")
        }
        // Inside a YAML block scalar every character is literal; only line breaks matter.
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A YAML scalar as Yams would write it (quoted only when it must be).
    static func yamlScalar(_ value: String) throws(GenerationError) -> String {
        do {
            let text = try Yams.serialize(node: Node.scalar(Node.Scalar(value)), width: -1, allowUnicode: true)
            return text.hasSuffix("\n...\n") ? String(text.dropLast(5)) : text.trimmingCharacters(in: .newlines)
        } catch {
            throw GenerationError("cannot write '\(value)' as YAML: \(error)")
        }
    }

    static func validate(_ i: Indicators) throws(GenerationError) {
        let tool = i.tool.trimmingCharacters(in: .whitespaces)
        guard !tool.isEmpty else { throw GenerationError("the tool name is empty") }
        guard tool.contains(where: { $0.isLetter || $0.isNumber }) else { throw GenerationError("the tool name '\(tool)' has no letter or digit to name files after") }
        let all = [("tool", [i.tool]), ("--signer", i.signers), ("--company", i.companies), ("--product", i.products), ("--process", i.processes), ("--domain", i.domains)]
        for (option, values) in all {
            for value in values {
                if value.trimmingCharacters(in: .whitespaces).isEmpty { throw GenerationError("\(option) is empty") }
                if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    throw GenerationError("\(option) '\(value.debugDescription)' holds a control character (a line break or tab)")
                }
            }
        }
        for domain in i.domains {
            let valid = domain.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "-") }
            guard valid, !domain.hasPrefix("."), !domain.hasSuffix("."), domain.contains(".") else {
                throw GenerationError("--domain '\(domain)' is not a domain name (letters, digits, dots and hyphens, such as example.com)")
            }
        }
        if i.signers.isEmpty && i.companies.isEmpty && i.products.isEmpty && i.processes.isEmpty && i.domains.isEmpty && i.hosts.isEmpty {
            throw GenerationError("no indicators: give at least one --signer, --company, --product, --process or --domain")
        }
        guard SentinelTactic.named(i.tactic) != nil else {
            throw GenerationError("--tactic '\(i.tactic)' is not a Sentinel tactic name (such as CommandAndControl)")
        }
        guard AttackCatalogue.enterprise.technique(i.technique) != nil else {
            throw GenerationError("--technique '\(i.technique)' is not an ATT&CK Enterprise technique (such as T1219)")
        }
    }

    /// The rendered rule must read without a problem and lint clean; anything else is a
    /// template's fault, and nothing is written.
    static func check(_ text: String, fileName: String) throws(GenerationError) {
        let file = LintFile(path: fileName, text: text)
        let findings = Linter().lint([file])
        guard findings.isEmpty else {
            throw GenerationError("the template for \(fileName) wrote a rule that does not lint clean:\n" + TextReporter.lines(findings).joined(separator: "\n"))
        }
    }
}
