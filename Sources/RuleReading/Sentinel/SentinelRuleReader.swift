import Foundation
import RuleModel
import YAMLLoading
import Yams

/// What reading one rule file gave: the rule when it could be read, and every problem found.
public struct RuleReadResult: Sendable {
    public var rule: Rule?
    public var diagnostics: [Diagnostic]
    /// The catalogue indentation defects repaired to read the file, for `lint --fix`.
    public var indentationFixes: [SentinelRuleReader.IndentationFix] = []
    /// The local override that turns the rule off; commands skip such a rule and say why.
    public var disabledBy: RuleOverride?

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public init(rule: Rule?, diagnostics: [Diagnostic], indentationFixes: [SentinelRuleReader.IndentationFix] = []) {
        self.rule = rule
        self.diagnostics = diagnostics
        self.indentationFixes = indentationFixes
    }
}

/// Reads Microsoft Sentinel analytic-rule and hunting-query YAML into the rule model, with the
/// file, line and column of every problem. A file is never fatal to a run: the caller gets a
/// result with diagnostics and moves on.
public struct SentinelRuleReader: Sendable {
    /// The extension key under which rulepack keeps false-positive scenarios in a rule file.
    public static let falsePositivesKey = "x-falsePositives"

    public var catalogue: SchemaCatalogue
    /// The project's local overrides (`rulepack.yaml`), applied to the rules of their packs.
    public var overrides: OverrideSet

    public init(catalogue: SchemaCatalogue = .defender, overrides: OverrideSet = .none) {
        self.catalogue = catalogue
        self.overrides = overrides
    }

    public func read(fileAt path: String) -> RuleReadResult {
        let text: String
        do {
            text = try BoundedYAML.text(ofFileAt: path)
        } catch {
            let code = switch error.kind {
            case .unreadable: "io"
            case .notUTF8: "encoding"
            default: "yaml"
            }
            return RuleReadResult(rule: nil, diagnostics: [Diagnostic(.error, file: path, at: SourcePosition(line: error.line, column: error.column), error.message, code: code)])
        }
        var result = read(text: text, path: path)
        guard let rule = result.rule else { return result }
        let applicable = overrides.overrides(for: rule, at: path)
        guard !applicable.isEmpty else { return result }
        (result.rule, result.disabledBy) = rule.applying(applicable)
        // A rule turned off is skipped by the command, which says why; the other effects are noted.
        for override in applicable where !override.disables(rule) {
            for effect in override.effects(on: rule) {
                result.diagnostics.append(Diagnostic(.note, file: path, at: SourcePosition(line: 1, column: 1), "local override (\(override.origin)): \(effect)", code: "override"))
            }
        }
        return result
    }

    public func read(text: String, path: String) -> RuleReadResult {
        var diagnostics: [Diagnostic] = []
        func failure(_ message: String, at position: SourcePosition, code: String) -> RuleReadResult {
            diagnostics.append(Diagnostic(.error, file: path, at: position, message, code: code))
            return RuleReadResult(rule: nil, diagnostics: diagnostics)
        }

        var repair: IndentationRepair?
        let root: Node
        do {
            guard let node = try BoundedYAML.compose(text) else {
                return failure("the file is empty; expected a Sentinel rule (a YAML mapping with a 'query')", at: SourcePosition(line: 1, column: 1), code: "yaml")
            }
            root = node
        } catch {
            switch error.kind {
            case .duplicateKeys(let keys):
                // Yams names the keys but not their places: find each repeat in the text.
                for (key, position, first) in Self.repeatedKeys(keys, in: sourceLines(text)) {
                    diagnostics.append(Diagnostic(.error, file: path, at: position, "key '\(key)' appears twice (first on line \(first)); YAML keeps only one", code: "yaml-duplicate-key"))
                }
                if diagnostics.isEmpty {
                    diagnostics.append(Diagnostic(.error, file: path, at: SourcePosition(line: 1, column: 1), error.message, code: "yaml-duplicate-key"))
                }
                return RuleReadResult(rule: nil, diagnostics: diagnostics)
            case .syntax:
                guard let repaired = IndentationRepair.repair(text) else {
                    return failure(error.message, at: SourcePosition(line: error.line, column: error.column), code: "yaml")
                }
                let node: Node
                do {
                    guard let composed = try BoundedYAML.compose(repaired.text) else { return failure(error.message, at: SourcePosition(line: error.line, column: error.column), code: "yaml") }
                    node = composed
                } catch let repairedError {
                    // A bound hit by the repaired text is reported as such; otherwise the repair did not help.
                    let reported = repairedError.kind == .syntax ? error : repairedError
                    return failure(reported.message, at: SourcePosition(line: reported.line, column: reported.column), code: "yaml")
                }
                repair = repaired
                root = node
                for fix in repaired.fixes {
                    diagnostics.append(Diagnostic(
                        .warning, file: path, at: SourcePosition(line: fix.line, column: fix.column),
                        "invalid YAML: '\(fix.key):' is indented at the level of the '- \(fix.itemKey):' dash on line \(fix.itemLine); read as a key of that list item (repair: indent it and the lines under it by \(fix.shift) spaces)",
                        code: "yaml-indentation"
                    ))
                }
            default:
                return failure(error.message, at: SourcePosition(line: error.line, column: error.column), code: "yaml")
            }
        }
        let lines = sourceLines(text)
        var document = YAMLDocument(path: path, lines: lines, repair: repair)
        let rule = document.rule(from: root, catalogue: catalogue)
        diagnostics += document.diagnostics
        let fixes = repair?.fixes.map { fix in
            IndentationFix(position: SourcePosition(line: fix.line, column: fix.column), key: fix.key, shift: fix.shift, lines: fix.lines)
        } ?? []
        return RuleReadResult(rule: rule, diagnostics: diagnostics.sorted { ($0.position, $0.message) < ($1.position, $1.message) }, indentationFixes: fixes)
    }

    /// One `dataTypes:`-style key indented at its list item's dash: the lines to move right.
    public struct IndentationFix: Hashable, Sendable {
        public var position: SourcePosition
        public var key: String
        public var shift: Int
        /// Every line the repair moves (the key's and the lines under it), 1-based.
        public var lines: [Int]
    }

    /// Each line that repeats one of `keys` at the indentation of its first appearance.
    static func repeatedKeys(_ keys: [String], in lines: [String]) -> [(key: String, position: SourcePosition, firstLine: Int)] {
        var found: [(String, SourcePosition, Int)] = []
        for key in keys {
            var firstByIndent: [Int: Int] = [:]
            for (index, line) in lines.enumerated() {
                let indent = line.prefix { $0 == " " }.count
                var rest = line.dropFirst(indent)
                var column = indent + 1
                if rest.hasPrefix("- ") {
                    rest = rest.dropFirst(2)
                    column += 2
                }
                guard rest.hasPrefix(key), rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":") else { continue }
                if let first = firstByIndent[column] {
                    found.append((key, SourcePosition(line: index + 1, column: column), first))
                } else {
                    firstByIndent[column] = index + 1
                }
            }
        }
        return found.sorted { $0.1 < $1.1 }
    }
}

/// Walks one composed YAML document into a `Rule`, collecting diagnostics on the way.
private struct YAMLDocument {
    let path: String
    let lines: [String]
    let repair: IndentationRepair?
    var diagnostics: [Diagnostic] = []
    /// Positions of nested items (connectors, their data types), merged into the metadata.
    var positionsFound: [FieldLocation: SourcePosition] = [:]

    init(path: String, lines: [String], repair: IndentationRepair?) {
        self.path = path
        self.lines = lines
        self.repair = repair
    }

    func position(of node: Node) -> SourcePosition {
        guard let mark = node.mark else { return SourcePosition(line: 1, column: 1) }
        let position = SourcePosition(line: mark.line, column: mark.column)
        return repair?.originalPosition(position) ?? position
    }

    mutating func report(_ severity: DiagnosticSeverity, _ message: String, at position: SourcePosition, code: String) {
        diagnostics.append(Diagnostic(severity, file: path, at: position, message, code: code))
    }

    mutating func rule(from root: Node, catalogue: SchemaCatalogue) -> Rule? {
        guard case .mapping(let mapping) = root else {
            report(.error, "expected a Sentinel rule (a YAML mapping of keys such as id, name, query); found \(Self.kind(of: root))", at: position(of: root), code: "yaml-shape")
            return nil
        }
        // Yams refuses duplicate keys before this point, so each name is here once.
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            entries[name] = (key, value)
        }

        var metadata = RuleMetadata()
        for (name, entry) in entries {
            metadata.topLevelKeys[name] = position(of: entry.key)
            guard let field = RuleField(rawValue: name) else { continue }
            metadata.positions[.key(field)] = position(of: entry.key)
            metadata.positions[.value(field)] = position(of: entry.value)
        }
        func scalar(_ field: RuleField) -> String? {
            let key = field.rawValue
            guard let value = entries[key]?.value else { return nil }
            guard case .scalar(let s) = value else {
                report(.error, "'\(key)' must be a single value, not \(Self.kind(of: value))", at: position(of: value), code: "yaml-shape")
                return nil
            }
            return s.string
        }
        func stringList(_ field: RuleField) -> [String] {
            let key = field.rawValue
            guard let value = entries[key]?.value else { return [] }
            switch value {
            case .scalar(let s):
                metadata.positions[.item(field, 0)] = position(of: value)
                return s.string.isEmpty ? [] : [s.string]
            case .sequence(let items):
                var result: [String] = []
                for item in items {
                    guard case .scalar(let s) = item else {
                        report(.error, "each item of '\(key)' must be a single value", at: position(of: item), code: "yaml-shape")
                        continue
                    }
                    metadata.positions[.item(field, result.count)] = position(of: item)
                    result.append(s.string)
                }
                return result
            default:
                report(.error, "'\(key)' must be a value or a list of values", at: position(of: value), code: "yaml-shape")
                return []
            }
        }

        metadata.id = scalar(.id)
        metadata.name = scalar(.name)
        metadata.description = scalar(.description)
        metadata.severity = scalar(.severity)
        metadata.kind = RuleKind(sentinelValue: scalar(.kind))
        metadata.tactics = stringList(.tactics)
        metadata.techniques = stringList(.relevantTechniques)
        metadata.queryFrequency = scalar(.queryFrequency)
        metadata.queryPeriod = scalar(.queryPeriod)
        metadata.triggerOperator = scalar(.triggerOperator)
        metadata.version = scalar(.version)
        if let threshold = scalar(.triggerThreshold) {
            if let n = Int(threshold) { metadata.triggerThreshold = n } else if let node = entries["triggerThreshold"]?.value {
                report(.error, "'triggerThreshold' must be a whole number, not '\(threshold)'", at: position(of: node), code: "yaml-shape")
            }
        }
        metadata.connectors = connectors(entries["requiredDataConnectors"]?.value)
        metadata.positions.merge(positionsFound) { first, _ in first }
        metadata.entityMappings = entityMappings(entries["entityMappings"]?.value)
        if case .mapping(let details)? = entries["customDetails"]?.value {
            metadata.customDetails = details.compactMap { key, value in
                guard let k = key.string, let v = value.string else { return nil }
                return RuleMetadata.KeyValue(key: k, value: v)
            }
        }
        metadata.alertDetailsOverride = structured(entries[RuleField.alertDetailsOverride.rawValue]?.value, field: .alertDetailsOverride)
        metadata.eventGroupingSettings = structured(entries[RuleField.eventGroupingSettings.rawValue]?.value, field: .eventGroupingSettings)
        metadata.incidentConfiguration = structured(entries[RuleField.incidentConfiguration.rawValue]?.value, field: .incidentConfiguration)
        metadata.suppressionDuration = scalar(.suppressionDuration)
        metadata.keepIndicators = stringList(.keepIndicators)
        if let node = entries[RuleField.suppressionEnabled.rawValue]?.value {
            if case .bool(let enabled)? = Self.structuredValue(node) { metadata.suppressionEnabled = enabled } else {
                report(.error, "'suppressionEnabled' must be true or false", at: position(of: node), code: "yaml-shape")
            }
        }
        if let date = scalar(.date), let node = entries[RuleField.date.rawValue]?.value {
            if date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil { metadata.date = date } else {
                report(.error, "'\(RuleField.date.rawValue)' must be a date written YYYY-MM-DD, not '\(date)'", at: position(of: node), code: "yaml-shape")
            }
        }
        let falsePositives = falsePositives(entries[SentinelRuleReader.falsePositivesKey]?.value)

        guard let queryEntry = entries["query"] else {
            report(.error, "no 'query' key: a Sentinel rule or hunting query needs its KQL query", at: SourcePosition(line: 1, column: 1), code: "missing-query")
            return nil
        }
        guard case .scalar(let queryScalar) = queryEntry.value else {
            report(.error, "'query' must be a string", at: position(of: queryEntry.value), code: "yaml-shape")
            return nil
        }
        let locator = QueryLocator(node: queryEntry.value, scalar: queryScalar, lines: lines, start: position(of: queryEntry.value))
        let detection: Detection
        do {
            detection = try KQLParser.parse(queryScalar.string, knownTables: Set(catalogue.tables.keys))
        } catch {
            report(.error, "KQL: \(error.message)", at: locator.filePosition(error.position), code: "kql-syntax")
            return nil
        }
        return Rule(metadata: metadata, detection: locator.relocated(detection), falsePositives: falsePositives, sourceFile: path)
    }

    /// The items of a list field; a field that is not a list is reported (as `shape`) and read as empty.
    mutating func items(of node: Node?, _ shape: String) -> Node.Sequence {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            report(.error, shape, at: position(of: node), code: "yaml-shape")
            return []
        }
        return items
    }

    mutating func connectors(_ node: Node?) -> [DataConnector] {
        let items = items(of: node, "'requiredDataConnectors' must be a list")
        var connectors: [DataConnector] = []
        for (index, item) in items.enumerated() {
            guard case .mapping(let m) = item else {
                report(.error, "each data connector must have 'connectorId' and 'dataTypes'", at: position(of: item), code: "yaml-shape")
                continue
            }
            let id = m["connectorId"]?.string ?? ""
            positionsFound[.item(.requiredDataConnectors, index)] = position(of: item)
            var types: [String] = []
            switch m["dataTypes"] {
            case .sequence(let list)?:
                for typeNode in list {
                    guard let type = typeNode.string else { continue }
                    positionsFound[.dataType(connector: index, index: types.count)] = position(of: typeNode)
                    types.append(type)
                }
            case .scalar(let s)?:
                types = [s.string]
            default:
                break
            }
            connectors.append(DataConnector(connectorId: id, dataTypes: types))
        }
        return connectors
    }

    mutating func entityMappings(_ node: Node?) -> [EntityMapping] {
        guard case .sequence(let items)? = node else { return [] }
        return items.compactMap { item in
            guard case .mapping(let m) = item else { return nil }
            let fields: [EntityMapping.FieldMapping]
            if case .sequence(let list)? = m["fieldMappings"] {
                fields = list.compactMap { f in
                    guard case .mapping(let fm) = f else { return nil }
                    return EntityMapping.FieldMapping(identifier: fm["identifier"]?.string ?? "", columnName: fm["columnName"]?.string ?? "")
                }
            } else {
                fields = []
            }
            return EntityMapping(entityType: m["entityType"]?.string ?? "", fieldMappings: fields)
        }
    }

    mutating func falsePositives(_ node: Node?) -> [FalsePositive] {
        let items = items(of: node, "'\(SentinelRuleReader.falsePositivesKey)' must be a list of scenarios")
        var result: [FalsePositive] = []
        for item in items {
            guard case .mapping(let m) = item, let scenario = m["scenario"]?.string else {
                report(.error, "each false positive needs 'scenario', 'description' and optionally 'filter'", at: position(of: item), code: "yaml-shape")
                continue
            }
            var fp = FalsePositive(scenario: scenario, description: m["description"]?.string ?? "")
            if let filterNode = m["filter"], case .scalar(let filterScalar) = filterNode {
                fp.filterText = filterScalar.string
                let filterStart = position(of: filterNode)
                fp.filterPosition = filterStart
                let locator = QueryLocator(node: filterNode, scalar: filterScalar, lines: lines, start: filterStart)
                do {
                    // Field positions are placed in the file, as query positions are.
                    fp.filter = try FilterParser.parse(filterScalar.string).relocated(locator.filePosition)
                } catch {
                    report(.error, "false-positive filter: \(error.message)", at: locator.filePosition(error.position), code: "filter-syntax")
                }
            }
            result.append(fp)
        }
        return result
    }

    /// A field Sentinel defines as a mapping, kept as written; anything else is reported.
    mutating func structured(_ node: Node?, field: RuleField) -> StructuredValue? {
        guard let node else { return nil }
        guard case .mapping = node, let value = Self.structuredValue(node) else {
            report(.error, "'\(field.rawValue)' must be a mapping, not \(Self.kind(of: node))", at: position(of: node), code: "yaml-shape")
            return nil
        }
        return value
    }

    /// A YAML node as a value: plain `true`/`false` and whole numbers typed, everything else a string.
    static func structuredValue(_ node: Node) -> StructuredValue? {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .integer(int) }
            }
            return .string(scalar.string)
        case .sequence(let items):
            return .list(items.compactMap(structuredValue))
        case .mapping(let entries):
            return .mapping(entries.compactMap { key, value in
                guard let name = key.string, let converted = structuredValue(value) else { return nil }
                return (name, converted)
            })
        case .alias:
            return nil
        }
    }

    static func kind(of node: Node) -> String {
        switch node {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
