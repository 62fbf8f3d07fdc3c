import Foundation
import RuleModel
import RuleReading
import Support
import YAMLLoading
import Yams

/// One pack of the manifest: where its rules come from and where they go.
public struct PackSpec: Hashable, Sendable {
    public var name: String
    public var source: String
    public var ref: String
    public var include: [String]
    public var into: String
    public var limits: Limits
    public var position: SourcePosition
    /// The team's local tuning of the pack's rules (see `RuleOverride`).
    public var overrides: [RuleOverride] = []
    /// The source holds tool descriptions rather than rules: the included files are turned
    /// into rules (`generate: lolrmm`), through the templates folder.
    public var generate: Generator?
    /// The templates for `generate`, relative to the manifest (default `templates`).
    public var templates = "templates"

    public enum Generator: String, Hashable, Sendable, CaseIterable {
        case lolrmm
    }

    /// Inside a generated pack, the source's tool files the rules were generated from (a
    /// hidden folder, so rule commands skip it; lint reads it as evidence).
    public static let evidenceFolder = ".source"

    /// Size limits, so a hostile or mistaken source cannot fill the disk.
    public struct Limits: Hashable, Sendable {
        public var fileBytes = 1 << 20
        public var packBytes = 64 << 20
        public var files = 20_000
    }
}

/// A problem in the manifest or lock file, at its line and column.
public struct ManifestError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var position: SourcePosition
    public var message: String
    public var description: String { "\(file):\(position.line):\(position.column): error: \(message)" }
}

/// `rulepack.yaml`: the packs a project syncs (see README, "Syncing catalogues").
public struct Manifest: Sendable {
    public var packs: [PackSpec]
    /// The folder the manifest is in; `into` paths and local sources are relative to it.
    public var root: URL
    public var path: String

    static let packKeys: Set<String> = ["name", "source", "ref", "include", "into", "limits", "overrides", "generate", "templates"]
    static let overrideKeys: Set<String> = ["rule", "disable", "severity", "add-exclusion", "sanctioned-tools"]
    static let severities = ["Informational", "Low", "Medium", "High"]

    /// The overrides of every pack, each for the rules under the pack's folder.
    public var overrideSet: OverrideSet {
        OverrideSet(packs: packs.map { OverrideSet.Pack(name: $0.name, folder: root.appendingPathComponent($0.into).standardizedFileURL.path, overrides: $0.overrides) })
    }

    /// The manifest that governs `paths`: the first `rulepack.yaml` in a folder holding one of
    /// them, walking up; nil when there is none.
    public static func find(governing paths: [String]) -> URL? {
        for path in paths {
            var folder = URL(fileURLWithPath: path).standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("rulepack.yaml")
                if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    public static func load(_ url: URL) throws -> Manifest {
        let path = url.path
        func fail(_ message: String, _ position: SourcePosition = SourcePosition(line: 1, column: 1)) -> ManifestError {
            ManifestError(file: path, position: position, message: message)
        }
        func at(_ node: Node) -> SourcePosition {
            node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
        }
        let root: Node?
        do {
            root = try BoundedYAML.load(fileAt: path).root
        } catch {
            throw fail(error.message, SourcePosition(line: error.line, column: error.column))
        }
        guard case .mapping(let top)? = root, let packsNode = top["packs"] else {
            throw fail("expected a mapping with a 'packs' list")
        }
        guard case .sequence(let items) = packsNode else { throw fail("'packs' must be a list", at(packsNode)) }
        var packs: [PackSpec] = []
        for item in items {
            guard case .mapping(let m) = item else { throw fail("each pack is a mapping (name, source, ref, include, into)", at(item)) }
            for (key, _) in m {
                guard let k = key.string, packKeys.contains(k) else {
                    let k = key.string ?? "?"
                    let near = Suggestion.hint(for: k, among: packKeys)
                    throw fail("unknown key '\(k)'\(near)", at(key))
                }
            }
            func string(_ key: String, required: Bool = true) throws -> String? {
                guard let node = m[key] else {
                    if required { throw fail("the pack needs '\(key)'", at(item)) }
                    return nil
                }
                guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail("'\(key)' must be a non-empty string", at(node)) }
                return s.string
            }
            let name = try string("name") ?? ""
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }), !name.hasPrefix(".") else {
                throw fail("pack name '\(name)' may hold only letters, digits, '.', '_' and '-'", at(m["name"] ?? item))
            }
            var include = ["**/*.yaml", "**/*.yml"]
            if let node = m["include"] {
                guard case .sequence(let patterns) = node, !patterns.isEmpty, patterns.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }) else {
                    throw fail("'include' must be a list of glob patterns", at(node))
                }
                include = patterns.compactMap(\.string)
            }
            let into = try string("into", required: false) ?? "packs/\(name)"
            let components = into.split(separator: "/")
            if into.hasPrefix("/") || components.contains("..") || components.contains(".") || components.isEmpty || components.first == ".rulepack" {
                throw fail("'into' must be a folder inside the project (relative, without '..'), not '\(into)'", at(m["into"] ?? item))
            }
            var limits = PackSpec.Limits()
            if let node = m["limits"] {
                guard case .mapping(let l) = node else { throw fail("'limits' must map fileBytes, packBytes and files to numbers", at(node)) }
                for (key, value) in l {
                    guard let k = key.string, let n = value.string.flatMap(Int.init), n > 0 else {
                        throw fail("limits take positive whole numbers", at(value))
                    }
                    switch k {
                    case "fileBytes": limits.fileBytes = n
                    case "packBytes": limits.packBytes = n
                    case "files": limits.files = n
                    default: throw fail("unknown limit '\(k)' (fileBytes, packBytes, files)", at(key))
                    }
                }
            }
            var spec = PackSpec(name: name, source: try string("source") ?? "", ref: try string("ref", required: false) ?? "main", include: include, into: components.joined(separator: "/"), limits: limits, position: at(item))
            if let node = m["overrides"] {
                spec.overrides = try overrides(node, file: path, fail: fail, at: at)
            }
            if let node = m["generate"] {
                guard let value = node.string, let generator = PackSpec.Generator(rawValue: value) else {
                    throw fail("'generate' names the catalogue format the source holds: \(PackSpec.Generator.allCases.map(\.rawValue).joined(separator: ", "))", at(node))
                }
                spec.generate = generator
                if m["include"] == nil { spec.include = ["yaml/*.yaml", "yaml/*.yml"] }
            }
            if let node = m["templates"] {
                guard let value = node.string, !value.isEmpty else { throw fail("'templates' is a folder, relative to the manifest", at(node)) }
                spec.templates = value
            }
            if let other = packs.first(where: { $0.name == spec.name }) {
                throw fail("pack name '\(name)' is also used on line \(other.position.line)", at(item))
            }
            if let other = packs.first(where: { $0.into == spec.into || $0.into.hasPrefix(spec.into + "/") || spec.into.hasPrefix($0.into + "/") }) {
                throw fail("'into' \(spec.into) overlaps pack '\(other.name)' (\(other.into))", at(m["into"] ?? item))
            }
            packs.append(spec)
        }
        return Manifest(packs: packs, root: url.deletingLastPathComponent(), path: path)
    }

    /// A pack's `overrides`: each selects rules by `rule:` (an id, or a glob of names) and
    /// disables them, sets their severity, adds exclusions in the false-positive filter
    /// language, or names sanctioned tools. Anything that does not parse is an error at its
    /// line and column, so a broken override never half-applies.
    static func overrides(_ node: Node, file: String, fail: (String, SourcePosition) -> ManifestError, at: (Node) -> SourcePosition) throws -> [RuleOverride] {
        guard case .sequence(let items) = node else { throw fail("'overrides' must be a list, each with 'rule' and what to change", at(node)) }
        var result: [RuleOverride] = []
        for item in items {
            guard case .mapping(let m) = item else { throw fail("each override is a mapping: rule, then disable, severity, add-exclusion or sanctioned-tools", at(item)) }
            for (key, _) in m {
                guard let k = key.string, overrideKeys.contains(k) else {
                    let k = key.string ?? "?"
                    throw fail("unknown override key '\(k)'\(Suggestion.hint(for: k, among: overrideKeys))", at(key))
                }
            }
            guard let selectorNode = m["rule"], let selectorText = selectorNode.string, !selectorText.isEmpty else {
                throw fail("an override needs 'rule': a rule id, or a glob of rule names", at(m["rule"] ?? item))
            }
            let selector: RuleOverride.Selector = NameBasedUUID.bytes(ofUUID: selectorText) != nil ? .id(selectorText) : .names(selectorText)
            var override = RuleOverride(selector: selector, file: file, position: at(item))
            if let node = m["disable"] {
                guard let value = node.bool else { throw fail("'disable' takes true or false", at(node)) }
                override.disable = value
            }
            if let node = m["severity"] {
                guard let value = node.string, let severity = severities.first(where: { $0.lowercased() == value.lowercased() }) else {
                    throw fail("'severity' is one of \(severities.joined(separator: ", "))", at(node))
                }
                override.severity = severity
            }
            if let node = m["sanctioned-tools"] {
                guard case .sequence(let tools) = node, tools.allSatisfy({ $0.string.map { !$0.isEmpty } ?? false }) else {
                    throw fail("'sanctioned-tools' is a list of tool names", at(node))
                }
                override.sanctionedTools = tools.compactMap(\.string)
            }
            if let node = m["add-exclusion"] {
                let entries: [Node]
                if case .sequence(let list) = node { entries = Array(list) } else { entries = [node] }
                for entry in entries {
                    override.exclusions.append(try exclusion(entry, fail: fail, at: at))
                }
            }
            guard override.disable || override.severity != nil || !override.exclusions.isEmpty || !override.sanctionedTools.isEmpty else {
                throw fail("the override changes nothing: give disable, severity, add-exclusion or sanctioned-tools", at(item))
            }
            result.append(override)
        }
        return result
    }

    /// `{scenario, description, filter}`, the filter parsed now and its errors placed in the manifest.
    static func exclusion(_ node: Node, fail: (String, SourcePosition) -> ManifestError, at: (Node) -> SourcePosition) throws -> FalsePositive {
        guard case .mapping(let m) = node, let scenario = m["scenario"]?.string, let filterNode = m["filter"], let filter = filterNode.string else {
            throw fail("'add-exclusion' takes scenario and filter (and a description)", at(node))
        }
        let start = at(filterNode)
        do {
            let parsed = try FilterParser.parse(filter)
            return FalsePositive(scenario: scenario, description: m["description"]?.string ?? "", filterText: filter, filter: parsed, filterPosition: start)
        } catch {
            // A plain or quoted scalar on one line: the error's column counts from the value's start.
            let quoted = filterNode.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            let position = error.position.line == 1
                ? SourcePosition(line: start.line, column: start.column + error.position.column - 1 + (quoted ? 1 : 0))
                : SourcePosition(line: start.line + error.position.line - 1, column: error.position.column)
            throw fail("false-positive filter: \(error.message)", position)
        }
    }
}

/// Glob patterns for `include`: `*` and `?` within a path segment, `[...]` classes, and `**`
/// for any number of segments.
public enum Glob {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        match(pattern.split(separator: "/", omittingEmptySubsequences: false)[...], path.split(separator: "/", omittingEmptySubsequences: false)[...])
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            return (0...path.count).contains { match(rest, path.dropFirst($0)) }
        }
        // FNM_PERIOD: a hidden file or folder matches only a pattern that names its dot.
        guard let segment = path.first, fnmatch(String(head), String(segment), FNM_PERIOD) == 0 else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }
}
