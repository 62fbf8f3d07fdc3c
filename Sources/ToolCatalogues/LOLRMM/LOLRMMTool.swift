import Foundation
import RuleModel
import YAMLLoading
import Yams

/// One tool of the LOLRMM catalogue (one `yaml/<tool>.yaml` file), with the indicators
/// rulepack can turn into detections, each where it stands in the file. The files are read as
/// they are published: a list where the schema says object (or the reverse), `''` for unknown
/// values, lists that are null, and keys the schema does not name, all tolerated.
public struct LOLRMMTool: Sendable {
    /// A value read from the file, with its position for reports.
    public struct Value: Hashable, Sendable {
        public var text: String
        public var position: SourcePosition
        /// The tool file it was read from (tools described twice are merged).
        public var file: String = ""
    }

    /// This tool with the indicators of `other`, a second description of the same tool.
    public func merging(_ other: LOLRMMTool) -> LOLRMMTool {
        var merged = self
        merged.signers += other.signers
        merged.companies += other.companies
        merged.products += other.products
        merged.fileNames += other.fileNames
        merged.domains += other.domains
        merged.date = [date, other.date].compactMap { $0 }.max()
        return merged
    }

    /// The file stem (`syncro`): the tool's key, since several tools share a `Name`.
    public var key: String
    public var name: String
    /// `RMM` or `RAT`.
    public var category: String
    /// `LastModified`, else `Created` (`YYYY-MM-DD`).
    public var date: String?
    public var website: String?
    /// `CodeSigning.certificates[].signer_name` and `CodeSigning.signer_names`.
    public var signers: [Value] = []
    /// `CodeSigning.certificates[].src_file_company`, `CodeSigning.company_names`, `PEMetadata.Company`.
    public var companies: [Value] = []
    /// `PEMetadata.Product`.
    public var products: [Value] = []
    /// `PEMetadata.Filename` and `OriginalFileName`, and the `.exe` names in `InstallationPaths`.
    public var fileNames: [Value] = []
    /// `Artifacts.Network[].Domains`, as written.
    public var domains: [Value] = []
    public var path: String

    /// Reads one tool file; a file that is not a LOLRMM tool is an error at its line and column.
    public static func read(fileAt path: String) throws(TextError) -> LOLRMMTool {
        let text: String
        do {
            text = try BoundedYAML.text(ofFileAt: path)
        } catch {
            throw TextError(error.message, at: SourcePosition(line: error.line, column: error.column))
        }
        return try read(text: text, path: path)
    }

    /// Reads a tool file's text (from a file, or a git blob during sync).
    public static func read(text: String, path: String) throws(TextError) -> LOLRMMTool {
        let root: Node?
        do {
            root = try BoundedYAML.compose(text)
        } catch {
            throw TextError(error.message, at: SourcePosition(line: error.line, column: error.column))
        }
        guard case .mapping(let top)? = root else { throw TextError("not a LOLRMM tool: expected a mapping with Name and Category", at: SourcePosition(line: 1, column: 1)) }
        guard let name = top["Name"]?.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw TextError("not a LOLRMM tool: no Name", at: top["Name"].map(position) ?? SourcePosition(line: 1, column: 1))
        }
        let key = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var tool = LOLRMMTool(key: key, name: name, category: top["Category"]?.string ?? "RMM", path: path)
        tool.date = [top["LastModified"], top["Created"]].compactMap { $0?.string }.first { $0.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil }
        let details = top["Details"]
        tool.website = details?["Website"]?.string
        for metadata in items(details?["PEMetadata"]) {
            tool.fileNames += values(metadata["Filename"]) + values(metadata["OriginalFileName"])
            tool.products += values(metadata["Product"])
            tool.companies += values(metadata["Company"])
        }
        for installation in items(details?["InstallationPaths"]) {
            guard let value = value(installation) else { continue }
            let base = value.text.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last.map(String.init) ?? value.text
            if base.lowercased().hasSuffix(".exe") { tool.fileNames.append(Value(text: base, position: value.position)) }
        }
        let signing = top["CodeSigning"]
        for certificate in items(signing?["certificates"]) {
            tool.signers += values(certificate["signer_name"])
            tool.companies += values(certificate["src_file_company"])
        }
        tool.signers += items(signing?["signer_names"]).compactMap(value)
        tool.companies += items(signing?["company_names"]).compactMap(value)
        for network in items(top["Artifacts"]?["Network"]) {
            tool.domains += items(network["Domains"]).compactMap(value)
        }
        func stamped(_ values: [Value]) -> [Value] { values.map { var v = $0; v.file = path; return v } }
        (tool.signers, tool.companies, tool.products, tool.fileNames, tool.domains) =
            (stamped(tool.signers), stamped(tool.companies), stamped(tool.products), stamped(tool.fileNames), stamped(tool.domains))
        return tool
    }

    static func position(_ node: Node) -> SourcePosition {
        node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
    }

    /// A list's items, a single mapping as a list of one, nothing for null or absent.
    static func items(_ node: Node?) -> [Node] {
        switch node {
        case .sequence(let items)?: Array(items)
        case .mapping?: [node!]
        default: []
        }
    }

    /// A scalar's trimmed text; nil for `''`, null and non-scalars.
    static func value(_ node: Node) -> Value? {
        guard case .scalar(let scalar) = node else { return nil }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !(scalar.style == .plain && ["null", "~"].contains(text)) else { return nil }
        return Value(text: text, position: position(node))
    }

    static func values(_ node: Node?) -> [Value] {
        guard let node else { return [] }
        if case .sequence(let items) = node { return items.compactMap(value) }
        return value(node).map { [$0] } ?? []
    }
}

extension LOLRMMTool {
    /// The signers and companies the catalogue recorded, for `lint --evidence`.
    public var evidence: ToolEvidence {
        func values(_ list: [Value]) -> [ToolEvidence.Value] {
            list.map { ToolEvidence.Value(text: $0.text, file: path, position: $0.position) }
        }
        return ToolEvidence(name: name, key: key, signers: values(signers), companies: values(companies))
    }
}
