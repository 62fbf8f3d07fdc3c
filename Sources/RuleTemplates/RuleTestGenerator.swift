import Foundation
import Hunting
import RuleModel
import RuleTesting
import Yams

/// Detection tests for the rules `rulepack new` writes: per indicator, a true positive (an
/// event that carries it, and whatever else the rule needs) and a near miss (the indicator
/// glued to a letter, which KQL's term match does not accept). They are run on the embedded
/// engine before anything is written, so a generated test always passes.
public enum RuleTestGenerator {
    /// The instant every generated test takes as now(); events are a minute before it.
    static let now = "2026-11-29T12:00:00Z"
    static let eventTime = "2026-11-29T11:59:00Z"

    struct Case {
        var name: String
        var table: String
        var event: [(String, String)]
        var fires: Bool
    }

    /// The test file for one generated rule (YAML, written with Yams).
    public static func tests(for rule: GeneratedRule, ruleID: String, _ i: Indicators) throws(GenerationError) -> String {
        var cases: [Case] = []
        /// A true positive for `value`, and a near miss that no needle of its field (`all`) matches.
        func add(_ what: String, _ value: String, of all: [String], table: String, _ event: (String) -> [(String, String)]) {
            cases.append(Case(name: "\(what) '\(value)' fires", table: table, event: event(value), fires: true))
            if let near = nearMiss(value, avoiding: all) {
                cases.append(Case(name: "near miss '\(near)' for \(what) '\(value)' does not fire", table: table, event: event(near), fires: false))
            }
        }
        switch rule.kind {
        case "filesig":
            for signer in i.signers { add("signer", signer, of: i.signers, table: "DeviceFileCertificateInfo") { [("Signer", $0)] } }
        case "createproc":
            // Company and product go together when both are given; a process name alone.
            let table = "DeviceProcessEvents"
            for company in i.companies {
                add("company", company, of: i.companies, table: table) { [("ProcessVersionInfoCompanyName", $0)] + (i.products.first.map { [("ProcessVersionInfoProductName", $0)] } ?? []) + [("FileName", "other.exe")] }
            }
            for product in i.products {
                add("product", product, of: i.products, table: table) { (i.companies.first.map { [("ProcessVersionInfoCompanyName", $0)] } ?? []) + [("ProcessVersionInfoProductName", $0), ("FileName", "other.exe")] }
            }
            for process in i.processes {
                add("process", process, of: i.processes, table: table) { [("FileName", $0), ("ProcessVersionInfoCompanyName", "Other"), ("ProcessVersionInfoProductName", "Other")] }
            }
        default:
            let company = i.companies.first.map { [("InitiatingProcessVersionInfoCompanyName", $0)] } ?? []
            for domain in i.domains {
                add("domain", domain, of: i.domains, table: "DeviceNetworkEvents") { [("RemoteUrl", $0)] + company }
            }
            // A host fires alone, in a URL and (with subdomains) below it; a look-alike that
            // ends another domain, or glues a letter to it, does not.
            for host in i.hosts {
                var firing = [host.domain, "https://\(host.domain)/download"]
                if case .withSubdomains = host { firing.append("agent." + host.domain) }
                for url in firing {
                    cases.append(Case(name: "host '\(host.written)': '\(url)' fires", table: "DeviceNetworkEvents", event: [("RemoteUrl", url)] + company, fires: true))
                }
                for near in [host.domain + ".example.net", "x" + host.domain] where !i.hosts.contains(where: { $0.matches(near) }) {
                    cases.append(Case(name: "near miss '\(near)' for host '\(host.written)' does not fire", table: "DeviceNetworkEvents", event: [("RemoteUrl", near)] + company, fires: false))
                }
            }
        }
        return try yaml(ruleID: ruleID, cases)
    }

    /// The value with a letter glued to the ends that need a term boundary, so that neither
    /// `has` nor `in~` accepts it for any needle of the field (a domain can hold another:
    /// `xnet.anydesk.com` still has `anydesk.com`); nil when no such spelling exists.
    static func nearMiss(_ value: String, avoiding needles: [String]) -> String? {
        for candidate in ["x" + value, value + "x", "x" + value + "x"] {
            let matched = needles.contains { KQLTerms.has(candidate, $0) || KQLTerms.folded(candidate) == KQLTerms.folded($0) }
            if !matched { return candidate }
        }
        return nil
    }

    static func yaml(ruleID: String, _ cases: [Case]) throws(GenerationError) -> String {
        func scalar(_ s: String) -> Node { Node.scalar(Node.Scalar(s)) }
        func mapping(_ pairs: [(String, Node)], flow: Bool = false) -> Node {
            Node.mapping(Node.Mapping(pairs.map { (scalar($0.0), $0.1) }, .implicit, flow ? .flow : .block))
        }
        let items = cases.enumerated().map { index, c in
            let device = "device-\(index + 1)"
            let event = mapping([("Timestamp", scalar(eventTime)), ("DeviceId", scalar(device)), ("DeviceName", scalar("host-\(index + 1)"))]
                + c.event.map { ($0.0, scalar($0.1)) } + [("ReportId", scalar(String(index + 1)))], flow: true)
            let expect = c.fires ? [mapping([("DeviceId", scalar(device)), ("Count", scalar("1"))], flow: true)] : []
            return mapping([
                ("name", scalar(c.name)),
                ("events", mapping([(c.table, Node.sequence(Node.Sequence([event])))])),
                ("expect", Node.sequence(Node.Sequence(expect, .implicit, c.fires ? .block : .flow))),
            ])
        }
        let document = mapping([("rule", scalar(ruleID)), ("now", scalar(now)), ("cases", Node.sequence(Node.Sequence(items)))])
        do {
            return try Yams.serialize(node: document, width: -1, allowUnicode: true)
        } catch {
            throw GenerationError("cannot write the tests as YAML: \(error)")
        }
    }

    /// Runs the tests against the rule on the embedded engine; a failure is the generator's fault.
    static func verify(_ tests: String, rule: GeneratedRule) throws(GenerationError) {
        let result: FileResult
        do {
            result = try RuleTestRunner.run(tests: tests, rule: rule.text, ruleFileName: rule.fileName) { try SQLiteEngine() }
        } catch {
            throw GenerationError("cannot check the generated tests of \(rule.fileName): \(error)")
        }
        if let failed = result.cases.first(where: { !$0.passed }) {
            throw GenerationError("the generated test '\(failed.name)' fails for \(rule.fileName): \((failed.error.map { [$0] } ?? failed.diff).joined(separator: "; "))")
        }
    }
}
