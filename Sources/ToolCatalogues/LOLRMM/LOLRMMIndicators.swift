import Foundation
import RuleModel
import RuleTemplates

/// How a LOLRMM tool's indicators become rulepack's (and so the predicates of its rules):
///
/// - Signers: `signer_name` of each certificate and `signer_names`, as written in the
///   certificate (no case change), for `Signer has`.
/// - Companies: `src_file_company`, `company_names` and PEMetadata `Company`, for the version-info
///   company of processes; products: PEMetadata `Product`.
/// - Process names: PEMetadata `Filename` and `OriginalFileName`, and the last component of each
///   `InstallationPaths` entry that ends in `.exe` (so `%ProgramFiles%\Tool\agent.exe` and
///   `*\agent.exe` give `agent.exe`); names holding a wildcard are skipped.
/// - Domains: `example.com` is that host, exactly; `*.example.com` is the domain and its
///   subdomains (never `example.com.evil.net`). Skipped, each with a reason: `user_managed` and
///   `<placeholder>` values, IP addresses, values with a port or a regular expression, and
///   wildcards inside or between labels (`plus*.site24x7.com`), which no host test states exactly.
/// - Over-broad values (shared infrastructure, generic names, bundled-software signers) are left
///   out, as `rulepack new` leaves them out.
/// - Every value is trimmed, empty ones skipped, repeats removed (ignoring case).
/// - Tactic CommandAndControl and T1219 (Remote Access Tools); severity High for a RAT, Medium
///   for an RMM tool; the date is the tool's LastModified (else Created).
public enum LOLRMMIndicators {
    /// The namespace of generated rule ids: with the tool's file stem and the rule kind, it
    /// gives the same id on every import or sync.
    public static let idNamespace = "6c6f6c72-6d6d-5275-8c65-7061636b0001"

    public struct Mapping: Sendable {
        public var indicators: Indicators
        /// One note per value left out, with the reason, at the value in the tool file.
        public var leftOut: [Diagnostic]
        /// Whether any indicator is left to write a rule from.
        public var isUsable: Bool {
            let i = indicators
            return !(i.signers.isEmpty && i.companies.isEmpty && i.products.isEmpty && i.processes.isEmpty && i.hosts.isEmpty)
        }
    }

    /// The values several tools of a catalogue list (by tool name, so a tool described twice
    /// counts once): a signer of several products, a shared domain or file name. Such a value
    /// is not specific to either tool, and the rules of both would detect the same events.
    public struct SharedValues: Sendable {
        /// `kind/value` (lower-cased) → the names of the tools that list it.
        var tools: [String: Set<String>] = [:]

        public init(_ tools: [LOLRMMTool] = []) {
            for tool in tools {
                for key in Self.keys(of: tool) { self.tools[key, default: []].insert(tool.name.lowercased()) }
            }
        }

        static func keys(of tool: LOLRMMTool) -> Set<String> {
            var keys: Set<String> = []
            for v in tool.signers { keys.insert(key("signer", v.text.trimmingCharacters(in: CharacterSet(charactersIn: "\\ ")))) }
            for v in tool.companies { keys.insert(key("company", v.text)) }
            for v in tool.fileNames { keys.insert(key("file", v.text)) }
            for v in tool.domains {
                if case .host(let host) = classify(v.text) { keys.insert(key("domain", host.domain)) }
            }
            return keys
        }

        static func key(_ kind: String, _ value: String) -> String { kind + "/" + value.lowercased() }

        /// The other tools that list the value, or nil when it is this tool's alone.
        func others(_ kind: String, _ value: String, besides tool: String) -> [String]? {
            let names = (tools[Self.key(kind, value)] ?? []).subtracting([tool.lowercased()])
            return names.isEmpty ? nil : names.sorted()
        }
    }

    public static func map(_ tool: LOLRMMTool, shared: SharedValues = SharedValues()) -> Mapping {
        var indicators = Indicators(tool: tool.name)
        indicators.key = tool.key
        indicators.idNamespace = idNamespace
        indicators.severity = tool.category.uppercased() == "RAT" ? "High" : "Medium"
        indicators.date = tool.date
        var leftOut: [Diagnostic] = []
        func skip(_ value: LOLRMMTool.Value, _ what: String, _ reason: String) {
            leftOut.append(Diagnostic(.note, file: value.file.isEmpty ? tool.path : value.file, at: value.position, "\(what) '\(value.text)' left out: \(reason)"))
        }
        func unique(_ values: [LOLRMMTool.Value]) -> [LOLRMMTool.Value] {
            var seen: Set<String> = []
            return values.filter { seen.insert($0.text.lowercased()).inserted }
        }
        let list = OverBroadIndicators.bundled
        func sharedReason(_ kind: String, _ value: String) -> String? {
            shared.others(kind, value, besides: tool.name).map { "also listed for \($0.joined(separator: ", ")) in the catalogue, so not specific to \(tool.name)" }
        }

        for signer in unique(tool.signers) {
            let text = signer.text.trimmingCharacters(in: CharacterSet(charactersIn: "\\ "))
            if let reason = list.reason(forSigner: text) {
                skip(signer, "signer", "over-broad (\(reason))")
            } else if let reason = sharedReason("signer", text) {
                skip(signer, "signer", reason)
            } else {
                indicators.signers.append(text)
            }
        }
        for company in unique(tool.companies) {
            if let reason = list.reason(forSigner: company.text) {
                skip(company, "company", "over-broad (\(reason))")
            } else if let reason = sharedReason("company", company.text) {
                skip(company, "company", reason)
            } else {
                indicators.companies.append(company.text)
            }
        }
        indicators.products = unique(tool.products).map(\.text)
        for name in unique(tool.fileNames) {
            if name.text.contains("*") || name.text.contains("?") || name.text.contains("%") {
                skip(name, "file name", "it holds a wildcard or a variable")
            } else if let reason = list.reason(forFileName: name.text) {
                skip(name, "file name", "over-broad (\(reason))")
            } else if let reason = sharedReason("file", name.text) {
                skip(name, "file name", reason)
            } else {
                indicators.processes.append(name.text)
            }
        }
        var hosts: [HostPattern] = []
        for domain in unique(tool.domains) {
            switch classify(domain.text) {
            case .host(let host):
                if let reason = list.reason(forDomain: domain.text) {
                    skip(domain, "domain", "over-broad (\(reason))")
                } else if let reason = sharedReason("domain", host.domain) {
                    skip(domain, "domain", reason)
                } else if !hosts.contains(host) {
                    hosts.append(host)
                }
            case .skipped(let reason):
                skip(domain, "domain", reason)
            }
        }
        // A host already covered by a wildcard over its own domain adds nothing.
        indicators.hosts = hosts.filter { host in
            guard case .exact(let d) = host else { return true }
            return !hosts.contains(.withSubdomains(d))
        }
        return Mapping(indicators: indicators, leftOut: leftOut)
    }

    enum DomainClass: Equatable {
        case host(HostPattern)
        case skipped(String)
    }

    static func classify(_ raw: String) -> DomainClass {
        let value = raw.lowercased()
        if value == "user_managed" || value == "user-managed" || value.contains("<") || value.contains(">") {
            return .skipped("a placeholder, not a domain")
        }
        if value.wholeMatch(of: /\d{1,3}(\.\d{1,3}){3}(:\d+)?/) != nil {
            return .skipped("an IP address; the network rule matches host names in RemoteUrl")
        }
        if value.contains(":") { return .skipped("it holds a port or a pattern, which no host test states exactly") }
        var domain = value
        var subdomains = false
        if domain.hasPrefix("*.") {
            domain.removeFirst(2)
            subdomains = true
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        }) else {
            return .skipped(domain.contains("*") ? "a wildcard inside or between labels, which no host test states exactly" : "not a domain name")
        }
        return .host(subdomains ? .withSubdomains(domain) : .exact(domain))
    }
}
