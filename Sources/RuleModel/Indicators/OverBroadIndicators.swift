import Foundation

/// Indicators that are shared infrastructure or generic names: a rule testing one of them
/// fires on hosts that have nothing to do with the tool. The list, with a reason for each
/// entry, is data (`Resources/over-broad-indicators.tsv`): domains of cloud platforms, CDNs,
/// code hosting, file sharing, mail and office suites, and dynamic DNS; bare top-level domains;
/// generic or system file names; and signers of software that many programs bundle.
public struct OverBroadIndicators: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case domain, tld, file, signer
    }

    /// Lower-cased value → reason, per kind.
    var entries: [Kind: [String: String]]

    public init(tsv: String) {
        var entries: [Kind: [String: String]] = [:]
        for line in tsv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let kind = Kind(rawValue: fields[0]) else { continue }
            entries[kind, default: [:]][fields[1].lowercased()] = fields[2]
        }
        self.entries = entries
    }

    /// The list bundled with rulepack.
    public static let bundled: OverBroadIndicators = {
        guard let url = Bundle.module.url(forResource: "over-broad-indicators", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { return OverBroadIndicators(tsv: "") }
        return OverBroadIndicators(tsv: text)
    }()

    /// Why a domain needle (`x.com`, `*.x.com`, `.x.com`) is over-broad, or nil. A shared
    /// platform's own domain, or a wildcard over it, is; a specific host on it
    /// (`packagesstore.blob.core.windows.net`) is not.
    public func reason(forDomain needle: String) -> String? {
        var domain = needle.trimmingCharacters(in: .whitespaces).lowercased()
        while domain.hasPrefix("*") || domain.hasPrefix(".") { domain.removeFirst() }
        while domain.hasSuffix(".") || domain.hasSuffix("/") { domain.removeLast() }
        guard !domain.isEmpty else { return "an empty domain matches every connection" }
        if let reason = entries[.tld]?[domain] { return reason }
        return entries[.domain]?[domain]
    }

    /// Why a file name (or a path ending in one) is over-broad, or nil.
    public func reason(forFileName needle: String) -> String? {
        let name = needle.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init) ?? needle
        return entries[.file]?[name.trimmingCharacters(in: .whitespaces).lowercased()]
    }

    /// Why a signer or company name is over-broad, or nil.
    public func reason(forSigner needle: String) -> String? {
        entries[.signer]?[needle.trimmingCharacters(in: .whitespaces).lowercased()]
    }
}
