import RuleModel

/// A host a tool connects to, matched in `RemoteUrl` exactly: the host alone, or the host of a
/// URL (`https://host/path`, `host:443`, `host/path`). `withSubdomains` (LOLRMM's `*.example.com`)
/// also matches every subdomain. Neither matches `example.com.evil.net` or `evilexample.com`,
/// which KQL's `has 'example.com'` would.
public enum HostPattern: Hashable, Sendable {
    case exact(String)
    case withSubdomains(String)

    public var domain: String {
        switch self {
        case .exact(let d), .withSubdomains(let d): d
        }
    }

    /// As LOLRMM writes it: `example.com` or `*.example.com`.
    public var written: String {
        switch self {
        case .exact(let d): d
        case .withSubdomains(let d): "*." + d
        }
    }

    /// The KQL tests, all case-insensitive (`=~`, `startswith`, `contains`, `endswith`): the
    /// host alone, at the start followed by `/` or `:`, or after `://` followed by `/`, `:` or
    /// the end; with subdomains, also after a `.` followed by `/`, `:` or the end.
    public var kqlTests: [String] {
        let d = domain
        func literal(_ s: String) -> String { KQLText.stringLiteral(s) }
        var tests = [
            "RemoteUrl =~ \(literal(d))",
            "RemoteUrl startswith \(literal(d + "/"))", "RemoteUrl startswith \(literal(d + ":"))",
            "RemoteUrl contains \(literal("://" + d + "/"))", "RemoteUrl contains \(literal("://" + d + ":"))",
            "RemoteUrl endswith \(literal("://" + d))",
        ]
        if case .withSubdomains = self {
            tests += [
                "RemoteUrl endswith \(literal("." + d))",
                "RemoteUrl contains \(literal("." + d + "/"))", "RemoteUrl contains \(literal("." + d + ":"))",
            ]
        }
        return tests
    }

    /// What the KQL tests accept, for choosing near misses (ASCII case folding, as KQL's).
    public func matches(_ remoteUrl: String) -> Bool {
        let url = KQLTerms.folded(remoteUrl), d = KQLTerms.folded(domain)
        if url == d || url.hasPrefix(d + "/") || url.hasPrefix(d + ":") || url.contains("://" + d + "/") || url.contains("://" + d + ":") || url.hasSuffix("://" + d) {
            return true
        }
        guard case .withSubdomains = self else { return false }
        return url.hasSuffix("." + d) || url.contains("." + d + "/") || url.contains("." + d + ":")
    }

    /// The predicate over several hosts, one test per line (indented for a rule's query block).
    public static func predicate(_ hosts: [HostPattern], indent: String = "      ") -> String {
        let tests = hosts.flatMap(\.kqlTests)
        return tests.count == 1 ? tests[0] : "(" + tests.joined(separator: "\n\(indent)or ") + ")"
    }
}
