import Foundation
import Support
import RuleModel
import RuleTemplates

/// Turns LOLRMM tool files into rules through the templates: one folder per tool (its file
/// stem) with its rules and their detection tests.
public struct LOLRMMImport: Sendable {
    public struct ToolResult: Sendable {
        public var key: String
        public var name: String
        public var rules: [GeneratedRule]
        public var leftOut: [Diagnostic]
        /// Why the tool gave no rule: no usable indicator, or an error at its file.
        public var problem: String?
    }

    public var templates: TemplateSet

    public init(templates: TemplateSet) {
        self.templates = templates
    }

    /// The tool files of a LOLRMM checkout (its `yaml/` folder), of a folder of tool files, or
    /// the files given, sorted by name.
    public static func toolFiles(in path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let yaml = (path as NSString).appendingPathComponent("yaml")
        let folder = FileManager.default.fileExists(atPath: yaml) ? yaml : path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The error for a path that holds no tool files.
    public static func noToolFiles(at path: String) -> String {
        "\(path):1:1: error: no LOLRMM tool files (*.yaml) here or in its yaml/ folder"
    }

    public func run(files: [String]) -> [ToolResult] {
        run(sources: files.map { file in (file, { () throws(TextError) in try LOLRMMTool.read(fileAt: file) }) })
    }

    /// Tool files given as their texts (a sync reads them from git), keyed by their paths.
    public func run(texts: [(path: String, text: String)]) -> [ToolResult] {
        run(sources: texts.map { source in (source.path, { () throws(TextError) in try LOLRMMTool.read(text: source.text, path: source.path) }) })
    }

    /// The rules written for each tool, keyed by file stem, as one folder's files: the tool's
    /// folder, then the rule or its tests.
    public static func files(of results: [ToolResult]) -> [(path: String, text: String)] {
        results.flatMap { result in
            result.rules.flatMap { rule in [(result.key + "/" + rule.fileName, rule.text), (result.key + "/" + rule.testsFileName, rule.tests)] }
        }
    }

    func run(sources: [(path: String, read: @Sendable () throws(TextError) -> LOLRMMTool)]) -> [ToolResult] {
        // All tools first: a value several tools list is left out of each (see SharedValues).
        let read = sources.concurrentMap { source -> Result<LOLRMMTool, TextError> in
            Result { () throws(TextError) in try source.read() }
        }
        // A tool the catalogue describes twice (two files, one Name) is one tool: its files'
        // indicators are merged under the first file's stem.
        var byName: [String: LOLRMMTool] = [:]
        for case .success(let tool) in read {
            let name = tool.name.lowercased()
            byName[name] = byName[name].map { $0.key < tool.key ? $0.merging(tool) : tool.merging($0) } ?? tool
        }
        let shared = LOLRMMIndicators.SharedValues(Array(byName.values))
        return zip(sources, read).map { ($0.path, $1) }.concurrentMap { file, result in
            let key = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let tool: LOLRMMTool
            switch result {
            case .success(let value):
                guard let merged = byName[value.name.lowercased()], merged.key == value.key else {
                    let primary = byName[value.name.lowercased()]?.key ?? key
                    return ToolResult(key: key, name: value.name, rules: [], leftOut: [], problem: "\(file):1:1: note: \(value.name) is also described in \(primary).yaml; its indicators are merged into \(primary)'s rules")
                }
                tool = merged
            case .failure(let error):
                return ToolResult(key: key, name: key, rules: [], leftOut: [], problem: "\(file):\(error.position.line):\(error.position.column): error: \(error.message)")
            }
            let mapping = LOLRMMIndicators.map(tool, shared: shared)
            guard mapping.isUsable else {
                return ToolResult(key: key, name: tool.name, rules: [], leftOut: mapping.leftOut, problem: "\(file):1:1: note: \(tool.name) has no usable indicator (no signer, company, product, process name or host); no rule")
            }
            do {
                return ToolResult(key: key, name: tool.name, rules: try RuleGenerator(templates: templates).generate(mapping.indicators), leftOut: mapping.leftOut)
            } catch {
                return ToolResult(key: key, name: tool.name, rules: [], leftOut: mapping.leftOut, problem: "\(file):1:1: error: \(error)")
            }
        }
    }
}
